package dev.loomlite.chat.client;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/** Delivers an outbox's events in order on one named virtual thread, so a slow listener never blocks sends. */
final class EventPump {
    private static final System.Logger LOG = System.getLogger(EventPump.class.getName());
    private static final OutboxEvent END = new OutboxEvent.Discarded("-", "-");

    // Filled by any outbox thread (under the outbox lock, which orders them); drained by the pump thread.
    private final LinkedBlockingQueue<OutboxEvent> events = new LinkedBlockingQueue<>();
    private final Consumer<OutboxEvent> listener;
    private final Thread thread;

    EventPump(Consumer<OutboxEvent> listener) {
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("outbox-events").start(this::run);
    }

    void emit(OutboxEvent event) {
        events.add(event);
    }

    /** Delivers what is queued, then stops; waits at most {@code timeout}. */
    void close(Duration timeout) {
        events.add(END);
        try {
            if (!thread.join(timeout)) {
                LOG.log(System.Logger.Level.WARNING, "outbox listener still busy after " + timeout.toMillis()
                        + " ms; " + events.size() + " events not delivered");
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
    }

    private void run() {
        try {
            for (OutboxEvent e = events.take(); e != END; e = events.take()) {
                try {
                    listener.accept(e);
                } catch (RuntimeException failure) {
                    LOG.log(System.Logger.Level.WARNING, "outbox listener threw on " + e, failure);
                }
            }
        } catch (InterruptedException e) {
            LOG.log(System.Logger.Level.DEBUG, "outbox event thread interrupted with events pending");
        }
    }
}
