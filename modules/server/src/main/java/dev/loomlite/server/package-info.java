/**
 * The server's public face: {@link dev.loomlite.server.ChatServer} (start, address, graceful stop),
 * {@link dev.loomlite.server.ServerConfig} (flags and environment), {@link dev.loomlite.server.SessionPolicy}
 * (sign-in limit, session lifetime) and {@link dev.loomlite.server.Main}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.parse(args, System.getenv());
 * try (ChatServer server = ChatServer.start(config)) {
 *     System.out.println("serving " + server.uri());
 * }
 * }</pre>
 */
package dev.loomlite.server;
