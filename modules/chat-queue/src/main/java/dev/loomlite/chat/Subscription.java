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

    /**
     * The highest {@code seq} delivered so far: every message up to it reached the listener, which returned
     * normally without closing the subscription from inside the call (see {@link ChatListener}). Always a safe point to resume from;
     * what was being delivered when the subscription closed may lie beyond it, and is then delivered again.
     */
    long lastDeliveredSeq();

    /** Whether it still delivers. */
    boolean isOpen();

    /** Ends the subscription; the listener gets no further calls but {@link ChatListener#onClosed}. Idempotent. */
    @Override
    void close();
}
