/**
 * The ordered, exactly-once chat pipeline.
 *
 * <p>{@link dev.loomlite.chat.ChatService} accepts sends, assigns each room a gapless {@code seq}, persists
 * through {@code dev.loomlite.sqlite} and fans out to subscribers; {@link dev.loomlite.chat.InputRules} are the
 * input rules it applies, public so that clients check a message the same way before sending it. The JVM client
 * outbox is the separate module {@code dev.loomlite.chat.client}.
 *
 * <pre>{@code
 * try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build());
 *      ChatService chat = ChatService.open(ChatConfig.defaults(), pool)) {
 *     SendResult r = chat.send(SendRequest.of("general", "u1", "Alice", "c-1", "hello"));
 *     chat.subscribe("general", 0, listener);
 * }
 * }</pre>
 */
// "module" lint: the qualified exports name dev.loomlite.chat.client and dev.loomlite.cluster, built after this module.
@SuppressWarnings("module")
module dev.loomlite.chat {
    // ChatService.open takes a SqlitePool: callers need its types.
    requires transitive dev.loomlite.sqlite;
    // A JFR event per persisted batch (dev.loomlite.chat.Batch).
    requires jdk.jfr;

    exports dev.loomlite.chat;
    // The JVM client writes its request bodies' strings with the engine's JsonStrings instead of a copy; no API.
    exports dev.loomlite.chat.internal.json to dev.loomlite.chat.client;
    // The engine's extension points for several nodes (docs/cluster-design.md): the server wires them, the optional
    // cluster module implements them. No API.
    exports dev.loomlite.chat.spi to dev.loomlite.server, dev.loomlite.cluster;
}
