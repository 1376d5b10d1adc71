package dev.loomlite.server;

import dev.loomlite.server.internal.ServerImpl;
import java.net.URI;

/**
 * A running Loomlite server.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(dir))) {
 *     HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(), ofString());
 * }
 * }</pre>
 */
public sealed interface ChatServer extends AutoCloseable permits ServerImpl {

    /** Opens the data, binds the port and starts serving; fails fast if the port or data folder is unusable. */
    static ChatServer start(ServerConfig config) {
        return ServerImpl.start(config);
    }

    /** The port actually bound (useful with port 0). */
    int port();

    /** {@code http://host:port/}. */
    URI uri();

    /**
     * Stops gracefully: {@code /health} turns 503 and new work is refused, accepted work finishes, then the
     * HTTP server and the data stop, all within the configured grace. Idempotent.
     */
    @Override
    void close();
}
