package dev.loomlite.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One API user for tests: its own session cookie, JSON in and out, and WebSocket subscriptions. Plain
 * {@code java.net.http}; the cookie is carried by hand so that tests see exactly what the server sets.
 */
final class Client {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    final URI base;
    private final HttpClient http;
    /** Sent with every request and upgrade (forwarding headers, as a proxy would add them). */
    private final Map<String, String> headers;
    /** The session cookie ({@code name=value}), set by {@link #signIn}. */
    volatile String cookie;

    Client(URI base) {
        this(base, HTTP, Map.of());
    }

    private Client(URI base, HttpClient http, Map<String, String> headers) {
        this.base = base;
        this.http = http;
        this.headers = Map.copyOf(headers);
    }

    /**
     * A client whose connections leave from {@code local}: on Linux every 127.x.y.z is a loopback address of its
     * own, so one test machine can be many client addresses of a server bound to 127.0.0.1.
     */
    static Client from(URI base, String local) {
        return through(base, local, Map.of());
    }

    /**
     * A client behind a reverse proxy at {@code local}: its connections leave from there (see {@link #from}) and every
     * request and upgrade carries {@code headers}, the forwarding headers that proxy would add.
     */
    static Client through(URI base, String local, Map<String, String> headers) {
        try {
            return new Client(base, HttpClient.newBuilder().connectTimeout(TIMEOUT).localAddress(InetAddress.getByName(local)).build(),
                    headers);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(local, e);
        }
    }

    /** A client signed in as {@code name}. */
    static Client signedIn(URI base, String name) {
        Client client = new Client(base);
        HttpResponse<String> response = client.signIn(name);
        if (response.statusCode() != 200) {
            throw new AssertionError("sign-in failed: " + response.statusCode() + " " + response.body());
        }
        return client;
    }

    /** {@code POST /api/session}; keeps the cookie it sets. */
    HttpResponse<String> signIn(String name) {
        HttpResponse<String> response = post("/api/session", json("name", name));
        sessionCookie(response).ifPresent(c -> cookie = c);
        return response;
    }

    static Optional<String> sessionCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(h -> h.startsWith("loomlite_session="))
                .map(h -> h.substring(0, h.indexOf(';') < 0 ? h.length() : h.indexOf(';')))
                .findFirst();
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@code POST /api/rooms/{room}/messages}. */
    HttpResponse<String> sendMessage(String room, String clientId, String content) {
        return post("/api/rooms/" + room + "/messages", json("clientId", clientId, "content", content));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        headers.forEach(builder::header);
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        return builder;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens {@code /api/rooms/{room}/events?after=S}, with {@code origin} as the Origin header when not null. */
    CompletableFuture<WebSocket> events(String room, String after, String origin, WebSocket.Listener listener) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/api/rooms/" + room + "/events?after=" + after);
        return builder.buildAsync(uri, listener);
    }

    /** Opens an event stream and waits for the upgrade; fails the test if it is refused. */
    Frames subscribe(String room, long after) throws Exception {
        Frames frames = new Frames(Long.MAX_VALUE);
        events(room, Long.toString(after), null, frames).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return frames;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** A JSON object from alternating names and values. */
    static String json(Object... namesAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
        }
        return node.toString();
    }
}
