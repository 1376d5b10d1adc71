package dev.loomlite.chat.client;

import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Loomlite server on port 0 for the client's tests, and the raw HTTP calls the client does not make
 * (sign-in, history). Plain {@code java.net.http}, so the tests see exactly what the server sets.
 *
 * <pre>{@code
 * try (LiveServer server = LiveServer.start(dir)) {
 *     String cookie = server.signIn("alice");           // "loomlite_session=..."
 *     List<Map<String, Object>> stored = server.messages("general", cookie);
 * }
 * }</pre>
 */
final class LiveServer implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ChatServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private LiveServer(ChatServer server) {
        this.server = server;
    }

    static LiveServer start(Path data) {
        return new LiveServer(ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data)));
    }

    URI uri() {
        return server.uri();
    }

    int port() {
        return server.port();
    }

    /** {@code POST /api/session}: the session cookie the server sets, as {@code name=value}. */
    String signIn(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri().resolve("/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("name", name)))));
        if (response.statusCode() != 200) {
            throw new AssertionError("sign-in failed: " + response.statusCode() + " " + response.body());
        }
        String setCookie = response.headers().firstValue("Set-Cookie")
                .orElseThrow(() -> new AssertionError("sign-in set no cookie"));
        int end = setCookie.indexOf(';');
        return end < 0 ? setCookie : setCookie.substring(0, end);
    }

    /** The room's stored messages, oldest first ({@code GET /api/rooms/{roomId}/messages?after=0}). */
    List<Map<String, Object>> messages(String roomId, String cookie) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                uri().resolve("/api/rooms/" + roomId + "/messages?after=0&limit=500")).header("Cookie", cookie).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("history failed: " + response.statusCode() + " " + response.body());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) Json.parseObject(response.body()).get("messages");
        return messages;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
        server.close();
    }
}
