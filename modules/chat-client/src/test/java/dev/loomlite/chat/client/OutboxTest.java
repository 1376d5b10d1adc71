package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ValidationException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {
    /** Always the top of the jitter range, so backoffs equal their ceilings. */
    private static final RandomGenerator CEILING = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    final FakeTransport transport = new FakeTransport();
    final ManualTimer timer = new ManualTimer();
    // Filled by the outbox's event thread; taken by the test.
    final LinkedBlockingQueue<OutboxEvent> events = new LinkedBlockingQueue<>();
    Outbox outbox;

    @BeforeEach
    void open() {
        outbox = Outbox.builder(transport).config(OutboxConfig.defaults().withCloseTimeout(Duration.ofSeconds(1)))
                .listener(events::add).random(CEILING).timer(timer).open();
    }

    @AfterEach
    void close() {
        transport.release();
        outbox.close();
    }

    OutboxEvent event() throws InterruptedException {
        OutboxEvent e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an outbox event").isNotNull();
        return e;
    }

    @Test
    void enqueue_returns_a_fresh_client_id_and_emits_queued_before_sending() throws Exception {
        String a = outbox.enqueue("general", "hello");
        String b = outbox.enqueue("general", "again");

        assertThat(a).matches("[0-9a-f]{32}").isNotEqualTo(b);
        assertThat(event()).isEqualTo(new OutboxEvent.Queued(a, "general"));
        assertThat(event()).isEqualTo(new OutboxEvent.Queued(b, "general"));
        FakeTransport.Call call = transport.next();
        assertThat(call.message).isEqualTo(OutgoingMessage.of("general", a, "hello"));
        call.succeed(1);
        assertThat(event()).isEqualTo(new OutboxEvent.Sent(a, "general", 64, 1, false));
    }

    @Test
    void one_room_sends_its_head_and_the_next_waits_for_the_acknowledgement() throws Exception {
        String a1 = outbox.enqueue("a", "1");
        String a2 = outbox.enqueue("a", "2");
        String a3 = outbox.enqueue("a", "3");

        FakeTransport.Call first = transport.next();
        assertThat(first.message.clientId()).isEqualTo(a1);
        assertThat(transport.idle()).isTrue();
        first.succeed(1);
        FakeTransport.Call second = transport.next();
        assertThat(second.message.clientId()).isEqualTo(a2);
        second.succeed(2);
        assertThat(transport.next().message.clientId()).isEqualTo(a3);
        assertThat(transport.total).hasValue(3);
    }

    @Test
    void rooms_proceed_independently_of_a_slow_room() throws Exception {
        outbox.enqueue("a", "slow");
        String b1 = outbox.enqueue("b", "1");
        FakeTransport.Call one = transport.next();
        FakeTransport.Call two = transport.next();
        FakeTransport.Call b = one.message.roomId().equals("b") ? one : two;
        FakeTransport.Call a = b == one ? two : one;

        b.succeed(1);
        String b2 = outbox.enqueue("b", "2");
        FakeTransport.Call next = transport.next();
        assertThat(next.message.clientId()).isEqualTo(b2);
        assertThat(b.message.clientId()).isEqualTo(b1);
        next.succeed(2);
        a.succeed(1);
    }

    @Test
    void retryable_failures_are_retried_with_the_same_client_id_and_growing_backoff() throws Exception {
        String id = outbox.enqueue("general", "hello");

        transport.next().fail(TransportException.http(503, "HTTP 503"));
        ManualTimer.Scheduled first = timer.next();
        assertThat(first.delay()).isEqualTo(Duration.ofMillis(500));
        first.task().run();
        FakeTransport.Call retry = transport.next();
        assertThat(retry.message.clientId()).isEqualTo(id);
        retry.fail(TransportException.network("connection reset", null));
        ManualTimer.Scheduled second = timer.next();
        assertThat(second.delay()).isEqualTo(Duration.ofMillis(1000));
        second.task().run();
        FakeTransport.Call last = transport.next();
        assertThat(last.message.clientId()).isEqualTo(id);
        last.replay(1);

        assertThat(event()).isInstanceOf(OutboxEvent.Queued.class);
        assertThat(event()).isEqualTo(new OutboxEvent.Sent(id, "general", 64, 1, true));
    }

    @Test
    void retry_after_from_the_server_is_honoured() throws Exception {
        outbox.enqueue("general", "hello");

        transport.next().fail(TransportException.http(429, "HTTP 429", Duration.ofSeconds(7)));

        assertThat(timer.next().delay()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void a_head_failing_after_the_attempt_limit_holds_its_room_until_retried() throws Exception {
        String a1 = outbox.enqueue("a", "1");
        String a2 = outbox.enqueue("a", "2");
        for (int attempt = 1; attempt <= 3; attempt++) {
            FakeTransport.Call call = transport.next();
            assertThat(call.message.clientId()).isEqualTo(a1);
            call.fail(TransportException.http(500, "HTTP 500"));
            if (attempt < 3) {
                timer.next().task().run();
            }
        }
        events.poll(10, TimeUnit.SECONDS);
        events.poll(10, TimeUnit.SECONDS);
        assertThat(event()).isEqualTo(new OutboxEvent.Failed(a1, "a", "HTTP 500", 500, 3));
        assertThat(transport.idle()).isTrue();
        assertThat(outbox.pending()).extracting(OutgoingMessage::clientId).containsExactly(a1, a2);

        String b1 = outbox.enqueue("b", "other room");
        FakeTransport.Call other = transport.next();
        assertThat(other.message.clientId()).isEqualTo(b1);
        other.succeed(1);

        assertThat(outbox.retry(a1)).isTrue();
        FakeTransport.Call again = transport.next();
        assertThat(again.message.clientId()).isEqualTo(a1);
        again.succeed(1);
        assertThat(transport.next().message.clientId()).isEqualTo(a2);
    }

    @Test
    void a_client_error_is_not_retried_and_discard_moves_the_room_on() throws Exception {
        String a1 = outbox.enqueue("a", "1");
        String a2 = outbox.enqueue("a", "2");
        transport.next().fail(TransportException.http(413, "HTTP 413: content too long"));
        events.poll(10, TimeUnit.SECONDS);
        events.poll(10, TimeUnit.SECONDS);
        assertThat(event()).isEqualTo(new OutboxEvent.Failed(a1, "a", "HTTP 413: content too long", 413, 1));

        assertThat(outbox.discard(a1)).isTrue();
        assertThat(event()).isEqualTo(new OutboxEvent.Discarded(a1, "a"));
        FakeTransport.Call next = transport.next();
        assertThat(next.message.clientId()).isEqualTo(a2);
        assertThat(transport.total).hasValue(2);
        next.succeed(1);
    }

    @Test
    void a_message_in_flight_can_be_neither_discarded_nor_retried() throws Exception {
        String a1 = outbox.enqueue("a", "1");
        FakeTransport.Call call = transport.next();

        assertThat(outbox.discard(a1)).isFalse();
        assertThat(outbox.retry(a1)).isFalse();
        assertThat(outbox.retry("unknown")).isFalse();
        call.succeed(1);
    }

    @Test
    void a_queued_message_behind_the_head_can_be_discarded() throws Exception {
        outbox.enqueue("a", "1");
        String a2 = outbox.enqueue("a", "2");
        String a3 = outbox.enqueue("a", "3");
        FakeTransport.Call head = transport.next();

        assertThat(outbox.discard(a2)).isTrue();
        head.succeed(1);

        assertThat(transport.next().message.clientId()).isEqualTo(a3);
    }

    @Test
    void restored_messages_keep_their_client_id_and_invalid_ones_are_refused() throws Exception {
        assertThat(outbox.enqueue(OutgoingMessage.of("general", "saved-1", "hi"))).isEqualTo("saved-1");
        FakeTransport.Call call = transport.next();
        assertThat(call.message.clientId()).isEqualTo("saved-1");
        assertThatThrownBy(() -> outbox.enqueue(OutgoingMessage.of("general", "saved-1", "hi")))
                .isInstanceOf(IllegalArgumentException.class);
        call.succeed(1);

        assertThatThrownBy(() -> outbox.enqueue("General!", "hi"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("roomId"));
        assertThatThrownBy(() -> outbox.enqueue("general", "\u0000"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("content"));
    }

    @Test
    void close_keeps_unsent_messages_in_pending_and_refuses_new_ones() throws Exception {
        String a1 = outbox.enqueue("a", "1");
        String a2 = outbox.enqueue("a", "2");
        FakeTransport.Call head = transport.next();
        head.fail(TransportException.http(503, "HTTP 503"));
        timer.next();

        outbox.close();

        assertThat(outbox.pending()).extracting(OutgoingMessage::clientId).containsExactly(a1, a2);
        assertThat(outbox.retry(a1)).isFalse();
        assertThatThrownBy(() -> outbox.enqueue("a", "3")).isInstanceOf(IllegalStateException.class);
        assertThat(transport.total).hasValue(1);
    }
}
