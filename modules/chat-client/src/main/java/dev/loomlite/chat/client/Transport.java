package dev.loomlite.chat.client;

import dev.loomlite.chat.SendResult;

/**
 * Delivers one message to the server and returns its durable result. Called by the outbox on a virtual
 * thread, one call at a time per room; implementations must be safe for concurrent calls across rooms.
 *
 * <pre>{@code
 * Transport inProcess = m -> chat.send(SendRequest.of(m.roomId(), userId, name, m.clientId(), m.content()));
 * }</pre>
 */
@FunctionalInterface
public interface Transport {
    /**
     * Sends {@code message}; a replay of an earlier identical send returns the original with
     * {@link SendResult#replay()} set.
     *
     * @throws TransportException when the send failed; {@link TransportException#retryable()} says whether
     *                            the outbox may try again
     */
    SendResult send(OutgoingMessage message);
}
