/**
 * The Loomlite chat server: a thin Javalin 7 application on virtual threads with a JSON/WebSocket API over
 * {@code dev.loomlite.chat} and {@code dev.loomlite.sqlite}: sessions ({@code /api/session}), rooms and
 * messages ({@code /api/rooms}, {@code /api/rooms/{roomId}/messages}), live events
 * ({@code /api/rooms/{roomId}/events}, WebSocket), {@code /health}, {@code /metrics} and the page of
 * {@code dev.loomlite.webclient}. Javalin, Jetty and Jackson stay inside this module.
 *
 * <p>Launch (what the README's run command does):
 * <pre>{@code
 * java --enable-preview --enable-native-access=org.xerial.sqlitejdbc -p lib -m dev.loomlite.server --port 7070 --data ./data
 * }</pre>
 * Embedding:
 * <pre>{@code
 * try (ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0))) {
 *     URI base = server.uri();
 * }
 * }</pre>
 */
// "module" lint: the qualified export names dev.loomlite.cluster, which is built after this module.
@SuppressWarnings("module")
module dev.loomlite.server {
    requires dev.loomlite.chat;
    // ServerConfig.synchronous() is the pool's Synchronous: embedders name it without requiring the pool themselves.
    requires transitive dev.loomlite.sqlite;
    // Also brings Jetty (server, HTTP, ee10 servlet, WebSocket API): error handler, customizers, frame callbacks.
    requires io.javalin;
    // Javalin's JSON mapper and our DTOs use Jackson; it must be resolved at run time, not only in tests.
    requires com.fasterxml.jackson.databind;
    requires dev.loomlite.webclient;

    exports dev.loomlite.server;
    // What the optional cluster module builds on (docs/cluster-design.md §10); not an API for others.
    exports dev.loomlite.server.spi to dev.loomlite.cluster;
    // Cluster support is optional: looked up on the module path only when the server starts with --cluster-map.
    uses dev.loomlite.server.spi.ClusterProvider;
    // Jackson reads and writes the API's records reflectively.
    opens dev.loomlite.server.internal to com.fasterxml.jackson.databind;
    opens dev.loomlite.server.spi to com.fasterxml.jackson.databind;
}
