package dev.loomlite.chat;

/**
 * A live subscription to a room.
 *
 * <pre>{@code
 * try (Subscription s = chat.subscribe("general", 0, listener)) { awaitDisconnect(); }
 * }</pre>
 */
public interface Subscription extends AutoCloseable {
    /** The room. */
    String roomId();

    /** The highest {@code seq} delivered so far. */
    long lastDeliveredSeq();

    /** Whether it still delivers. */
    boolean isOpen();

    /** Ends the subscription; the listener gets no further calls but {@link ChatListener#onClosed}. Idempotent. */
    @Override
    void close();
}
