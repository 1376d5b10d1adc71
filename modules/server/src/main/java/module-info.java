/**
 * The Loomlite chat server: a thin Javalin 7 application on virtual threads with a JSON/WebSocket API.
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
module dev.loomlite.server {
    requires io.javalin;
    // Javalin's JSON mapper and our DTOs use Jackson; it must be resolved at run time, not only in tests.
    requires com.fasterxml.jackson.databind;
    requires dev.loomlite.webclient;

    exports dev.loomlite.server;
    // Jackson reads and writes the API's records reflectively.
    opens dev.loomlite.server.internal to com.fasterxml.jackson.databind;
}
