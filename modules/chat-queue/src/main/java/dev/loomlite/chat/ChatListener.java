package dev.loomlite.chat;

import java.util.List;
import java.util.function.Consumer;

/**
 * Receives a subscription's messages in {@code seq} order, on one delivery thread per subscription (never the
 * room's thread: a slow listener slows only itself).
 *
 * <p>Returning normally from {@link #onMessage} or {@link #onMessages} means the messages were delivered: the
 * subscription's {@link Subscription#lastDeliveredSeq()} then moves past them. A listener that could not deliver
 * them (its client is gone or too slow) throws, or closes the subscription from inside the call: the cursor then
 * stays where it was, so that it remains a safe point to resume from.
 *
 * <pre>{@code
 * chat.subscribe(room, lastSeq, new ChatListener() {
 *     public void onMessage(ChatMessage m) { socket.send(m); }
 *     public void onClosed(String reason) { socket.close(reason); }
 * });
 * }</pre>
 */
public interface ChatListener {
    /** One message; called sequentially, never concurrently, for one subscription. */
    void onMessage(ChatMessage message);

    /**
     * Several messages in ascending, gapless {@code seq} order: what one commit, or one page of history, brought.
     * The default hands them to {@link #onMessage} one by one; a listener that can write them out together (one
     * network frame, one write) overrides it. Called sequentially, never concurrently with {@link #onMessage}.
     */
    default void onMessages(List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            onMessage(message);
        }
    }

    /**
     * The subscription ended: it fell too far behind, the listener threw, or the service is closing. Called
     * once, after the last {@link #onMessage}. Reconnect with the last seen {@code seq} to catch up.
     */
    void onClosed(String reason);

    /** A listener for messages only. */
    static ChatListener of(Consumer<ChatMessage> onMessage) {
        return new ChatListener() {
            @Override
            public void onMessage(ChatMessage message) {
                onMessage.accept(message);
            }

            @Override
            public void onClosed(String reason) {
            }
        };
    }
}
