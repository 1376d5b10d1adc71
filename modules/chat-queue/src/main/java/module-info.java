/**
 * The ordered, exactly-once chat pipeline and its client outbox.
 *
 * <p>Server side: {@link dev.loomlite.chat.ChatService} accepts sends, assigns each room a gapless {@code seq},
 * persists through {@code dev.loomlite.sqlite} and fans out to subscribers. Client side:
 * {@link dev.loomlite.chat.client.Outbox} queues, orders and retries sends with client-generated ids.
 *
 * <pre>{@code
 * try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build());
 *      ChatService chat = ChatService.open(ChatConfig.defaults(), pool)) {
 *     SendResult r = chat.send(SendRequest.of("general", "u1", "Alice", "c-1", "hello"));
 *     chat.subscribe("general", 0, listener);
 * }
 * }</pre>
 */
module dev.loomlite.chat {
    // ChatService.open takes a SqlitePool: callers need its types.
    requires transitive dev.loomlite.sqlite;
    // HttpTransport is built from a java.net.http.HttpClient given by the caller.
    requires transitive java.net.http;
    // A JFR event per persisted batch (dev.loomlite.chat.Batch).
    requires jdk.jfr;

    exports dev.loomlite.chat;
    exports dev.loomlite.chat.client;
}
