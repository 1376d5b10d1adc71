package dev.loomlite.chat.client;

/**
 * What happened to a queued message, delivered to the outbox's listener in order on one event thread.
 *
 * <pre>{@code
 * switch (event) {
 *     case OutboxEvent.Queued q -> ui.showPending(q.clientId());
 *     case OutboxEvent.Sent s -> ui.confirm(s.clientId(), s.messageId(), s.seq());
 *     case OutboxEvent.Failed f -> ui.showRetryButton(f.clientId(), f.reason());
 *     case OutboxEvent.Discarded d -> ui.remove(d.clientId());
 * }
 * }</pre>
 */
public sealed interface OutboxEvent {
    /** The client id of the message. */
    String clientId();

    /** Its room. */
    String roomId();

    /** Accepted into the outbox. */
    record Queued(String clientId, String roomId) implements OutboxEvent {
    }

    /**
     * Durable on the server.
     *
     * @param replay true when the server had stored it already (an earlier attempt's reply was lost)
     */
    record Sent(String clientId, String roomId, long messageId, long seq, boolean replay) implements OutboxEvent {
    }

    /**
     * Given up after {@code attempts}: the room's queue holds behind it until {@link Outbox#retry} or
     * {@link Outbox#discard}.
     *
     * @param status the last HTTP status, 0 when there was no response
     */
    record Failed(String clientId, String roomId, String reason, int status, int attempts) implements OutboxEvent {
    }

    /** Removed by {@link Outbox#discard}; never sent by the outbox after this. */
    record Discarded(String clientId, String roomId) implements OutboxEvent {
    }
}
