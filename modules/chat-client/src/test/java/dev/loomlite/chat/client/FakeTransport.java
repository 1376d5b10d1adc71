package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.SendResult;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A transport whose every call blocks until the test answers it: success, replay or a failure. */
final class FakeTransport implements Transport {
    /** One call in progress. */
    static final class Call {
        final OutgoingMessage message;
        private final CompletableFuture<SendResult> answer = new CompletableFuture<>();

        Call(OutgoingMessage message) {
            this.message = message;
        }

        void succeed(long seq) {
            answer.complete(new SendResult(message(seq), false));
        }

        void replay(long seq) {
            answer.complete(new SendResult(message(seq), true));
        }

        void fail(TransportException e) {
            answer.completeExceptionally(e);
        }

        private ChatMessage message(long seq) {
            return new ChatMessage(seq * 64, message.roomId(), seq, message.clientId(), "u1", "Alice", message.content(),
                    message.replyToId(), Instant.EPOCH);
        }
    }

    // Filled by outbox send threads; taken by the test.
    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    // Every call ever made, for release(); appended by outbox send threads.
    private final java.util.List<Call> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicLong total = new AtomicLong();

    @Override
    public SendResult send(OutgoingMessage message) {
        Call call = new Call(message);
        total.incrementAndGet();
        all.add(call);
        calls.add(call);
        try {
            return call.answer.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("call not answered", e);
        }
    }

    /** The next call the outbox makes. */
    Call next() throws InterruptedException {
        Call call = calls.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("a transport call").isNotNull();
        return call;
    }

    /** Fails every unanswered call, so a closing outbox has nothing in flight. */
    void release() {
        all.forEach(c -> c.fail(TransportException.http(400, "test over")));
    }

    boolean idle() {
        return calls.isEmpty();
    }
}
