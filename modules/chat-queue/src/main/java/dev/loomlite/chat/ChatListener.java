package dev.loomlite.chat;

import java.util.function.Consumer;

/**
 * Receives a subscription's messages in {@code seq} order, on one delivery thread per subscription (never the
 * room's thread: a slow listener slows only itself).
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
