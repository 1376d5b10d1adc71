package dev.loomlite.bench.load;

import dev.loomlite.chat.client.Outbox;
import dev.loomlite.chat.client.OutboxEvent;
import dev.loomlite.chat.client.OutgoingMessage;
import dev.loomlite.chat.client.Transport;
import dev.loomlite.chat.client.TransportException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One user sending to one room through its own {@link Outbox} (the JVM client), in a closed loop: enqueue a
 * message, wait until the outbox reports it {@code Sent} (or {@code Failed}, which is counted by status and
 * discarded), then the next, paced to {@code intervalNanos} when a rate is set. Ack latency is enqueue to
 * {@code Sent}, as the outbox's listener sees it. Failed attempts that the outbox retries are counted by status
 * through a wrapper around the transport. With {@code --transport raw} the transport is called directly instead.
 *
 * <p>Threads: {@link #run} on the sender's own virtual thread; {@link #accept} on the outbox's event thread. The
 * counters are written by the event thread and read after {@link Outbox#close()} (which joins it).
 */
final class Sender {
    private final int index;
    private final String room;
    private final LoadIds ids;
    private final Timeline timeline;
    private final RoomLedger ledger;
    private final String[] contents;
    private final long intervalNanos;
    private final Transport transport;
    // The outbox, or null with --transport raw (then the transport is called directly).
    private final Outbox outbox;
    private final Semaphore outcome = new Semaphore(0);
    private final boolean retryFailed;
    // Written by the run thread, read after it ended.
    private long enqueued;
    private boolean stuck;
    // Written by the outbox's event thread (the run thread with --transport raw), read after the outbox closed.
    private long acked;
    private long failed;

    /**
     * @param transport the sender's own HTTP transport ({@code HttpTransport}, or {@link SocketTransport})
     * @param raw       call the transport directly, without an outbox ({@code --transport raw})
     */
    Sender(int index, String room, Transport transport, boolean raw, boolean retryFailed, ScheduledExecutorService scheduler,
           LoadIds ids, Timeline timeline, RoomLedger ledger, String[] contents, long intervalNanos) {
        this.index = index;
        this.retryFailed = retryFailed;
        this.room = room;
        this.ids = ids;
        this.timeline = timeline;
        this.ledger = ledger;
        this.contents = contents;
        this.intervalNanos = intervalNanos;
        this.transport = transport;
        if (raw) {
            this.outbox = null;
            return;
        }
        Transport counted = message -> {
            try {
                return transport.send(message);
            } catch (TransportException e) {
                timeline.attemptError(System.nanoTime(), e.status());
                throw e;
            }
        };
        this.outbox = Outbox.builder(counted).scheduler(scheduler).listener(this::accept).open();
    }

    /**
     * Sends until {@code stopAt} ({@link System#nanoTime()}), starting at {@code startAt}; then waits for the last
     * message's outcome until {@code giveUpAt} and closes the outbox.
     */
    void run(long startAt, long stopAt, long giveUpAt) {
        long next = startAt;
        try {
            while (true) {
                long now = System.nanoTime();
                if (intervalNanos > 0) {
                    if (next > now) {
                        LockSupport.parkNanos(next - now);
                        now = System.nanoTime();
                    }
                    next = Math.max(next + intervalNanos, now - 1_000_000_000L); // catch up at most a second
                }
                if (now >= stopAt) {
                    return;
                }
                String id = ids.make(index, now);
                String content = contents[(int) (enqueued % contents.length)];
                enqueued++;
                if (outbox == null) {
                    sendRaw(id, content);
                    continue;
                }
                outbox.enqueue(OutgoingMessage.of(room, id, content));
                while (!outcome.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (System.nanoTime() > giveUpAt) {
                        stuck = true;
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (outbox != null) {
                outbox.close();
            }
            if (transport instanceof SocketTransport socket) {
                socket.close();
            }
        }
    }

    /** One send on this thread without the outbox: no retry; a refusal counts as a failed attempt and a rejected message. */
    private void sendRaw(String id, String content) {
        try {
            long seq = transport.send(OutgoingMessage.of(room, id, content)).message().seq();
            long now = System.nanoTime();
            timeline.ack(now, now - ids.sentNanos(id));
            ledger.acked(seq, id);
            acked++;
        } catch (TransportException e) {
            long now = System.nanoTime();
            timeline.attemptError(now, e.status());
            timeline.rejected(now, e.status());
            failed++;
        }
    }

    private void accept(OutboxEvent event) {
        switch (event) {
            case OutboxEvent.Sent s -> {
                long now = System.nanoTime();
                long sent = ids.sentNanos(s.clientId());
                timeline.ack(now, now - sent);
                ledger.acked(s.seq(), s.clientId());
                acked++;
                outcome.release();
            }
            case OutboxEvent.Failed f when retryFailed && retryable(f.status()) -> outbox.retry(f.clientId());
            case OutboxEvent.Failed f -> {
                timeline.rejected(System.nanoTime(), f.status());
                failed++;
                outbox.discard(f.clientId());
                outcome.release();
            }
            case OutboxEvent.Queued q -> { }
            case OutboxEvent.Discarded d -> { }
        }
    }

    /** Whether a user would retry a message that failed so: no answer (0), a server error or overload (5xx, 429). */
    private static boolean retryable(int status) {
        return status == 0 || status == 429 || status >= 500;
    }

    long enqueued() {
        return enqueued;
    }

    long acked() {
        return acked;
    }

    long failed() {
        return failed;
    }

    /** Whether the last message had no outcome by the give-up time. */
    boolean stuck() {
        return stuck;
    }
}
