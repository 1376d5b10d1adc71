package dev.loomlite.chat.client;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A client-side send queue: {@link #enqueue} returns a client id at once and emits
 * {@link OutboxEvent.Queued}; each room has its own FIFO whose head is sent while the next waits for its
 * acknowledgement; other rooms proceed independently. Network errors, 408, 429 and 5xx are retried with
 * exponential backoff and full jitter (honouring {@code Retry-After}) up to {@link OutboxConfig#maxAttempts()},
 * always with the same client id, so a retry after a lost reply is a replay on the server, not a duplicate.
 * Other statuses are not retried. A message that fails holds its room (no reordering) until
 * {@link #retry(String)} or {@link #discard(String)}.
 *
 * <p>Thread-safety: every method may be called from any thread. Events are delivered in order on one
 * virtual thread ({@code outbox-events}); a slow listener delays only later events.
 *
 * <pre>{@code
 * try (Outbox outbox = Outbox.open(HttpTransport.create(base, cookie), event -> switch (event) {
 *         case OutboxEvent.Failed f -> showRetry(f.clientId(), f.reason());
 *         default -> render(event);
 *     })) {
 *     String clientId = outbox.enqueue("general", "hello");
 * }
 * }</pre>
 */
public sealed interface Outbox extends AutoCloseable permits OutboxImpl {

    /** An outbox with the default configuration. */
    static Outbox open(Transport transport, Consumer<OutboxEvent> listener) {
        return builder(transport).listener(listener).open();
    }

    /** A builder, for the configuration, a scheduler or a random source of your own. */
    static Builder builder(Transport transport) {
        return new Builder(transport);
    }

    /** Queues a message and returns its new client id (under a millisecond; nothing is sent on this thread). */
    String enqueue(String roomId, String content);

    /** Queues a reply to {@code replyToId}. */
    String enqueue(String roomId, String content, long replyToId);

    /**
     * Queues a message with its own client id, e.g. one restored from {@link #pending()} saved before a
     * restart: if the server already has it, the send is answered as a replay.
     *
     * @throws IllegalArgumentException when a message with this client id is already in the outbox
     */
    String enqueue(OutgoingMessage message);

    /**
     * Sends a failed message again with a fresh attempt budget (or at once, if it is waiting for a backoff).
     *
     * @return false when no such message is failed or waiting (unknown, sent, or being sent right now)
     */
    boolean retry(String clientId);

    /**
     * Removes a message that is not being sent right now; its room moves on to the next message.
     *
     * @return false when the message is unknown or in flight
     */
    boolean discard(String clientId);

    /** The messages not yet sent, in queue order per room: persist them to restore after a restart. */
    List<OutgoingMessage> pending();

    /**
     * Stops sending: no new attempt starts, sends in flight get {@link OutboxConfig#closeTimeout()} to finish,
     * then the remaining events are delivered. Messages not sent stay in {@link #pending()}. Idempotent.
     */
    @Override
    void close();

    /**
     * Builds an {@link Outbox}; not thread-safe.
     *
     * <pre>{@code
     * Outbox outbox = Outbox.builder(transport).config(OutboxConfig.defaults().withMaxAttempts(5)).listener(ui::on).open();
     * }</pre>
     */
    final class Builder {
        private final Transport transport;
        private OutboxConfig config = OutboxConfig.defaults();
        private Consumer<OutboxEvent> listener = event -> { };
        private Timer timer;
        private RandomGenerator random;
        private Supplier<String> clientIds;

        private Builder(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        public Builder config(OutboxConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder listener(Consumer<OutboxEvent> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Runs backoff timers on {@code scheduler} (which the outbox does not shut down). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.timer = Timer.of(Objects.requireNonNull(scheduler, "scheduler"));
            return this;
        }

        /** The source of backoff jitter. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Makes client ids; they must be unique per author. Default: {@link ClientIds#timeOrdered} (the time,
         * then 80 random bits, 32 hex digits), so the server's index on them grows at its end.
         */
        public Builder clientIds(Supplier<String> clientIds) {
            this.clientIds = Objects.requireNonNull(clientIds, "clientIds");
            return this;
        }

        Builder timer(Timer timer) {
            this.timer = timer;
            return this;
        }

        public Outbox open() {
            Supplier<String> ids = clientIds != null ? clientIds : ClientIds.timeOrdered(new SecureRandom());
            ids.get(); // seeds the generator here rather than in the first enqueue
            return new OutboxImpl(transport, config, listener, timer, random != null ? random : RandomGenerator.getDefault(), ids);
        }
    }
}
