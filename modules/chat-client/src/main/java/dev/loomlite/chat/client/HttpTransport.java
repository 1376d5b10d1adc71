package dev.loomlite.chat.client;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.SendResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A {@link Transport} over the Loomlite server's HTTP API: {@code POST {base}/api/rooms/{roomId}/messages}
 * with {@code {"clientId","content","replyToId"?}} and the session cookie ({@value #SESSION_COOKIE}, whose
 * value the server sets on {@code POST /api/session}); 201 (new) or 200 (replay) with the stored message. Errors
 * become {@link TransportException}s carrying the status, the server's {@code error} text and {@code Retry-After}
 * (in seconds). A stored message's {@code epoch} is read as sent; a server that predates epochs sends none, which
 * means 1.
 *
 * <pre>{@code
 * Transport http = HttpTransport.create(URI.create("https://chat.example"), () -> HttpTransport.sessionCookie(session.token()));
 * }</pre>
 */
public final class HttpTransport implements Transport {
    /** The default deadline of one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The name of the server's session cookie. */
    public static final String SESSION_COOKIE = "loomlite_session";

    private final HttpClient client;
    private final String base;
    private final Supplier<String> cookie;
    private final Duration timeout;

    private HttpTransport(HttpClient client, URI base, Supplier<String> cookie, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        String b = Objects.requireNonNull(base, "base").toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.cookie = Objects.requireNonNull(cookie, "cookie");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The {@code Cookie} header that carries a session: {@code loomlite_session=<token>}, where the token is the
     * value of the cookie the server set on {@code POST /api/session}.
     *
     * @throws IllegalArgumentException when the token is empty or has characters a cookie value cannot hold
     */
    public static String sessionCookie(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty() || !token.chars().allMatch(HttpTransport::isCookieOctet)) {
            throw new IllegalArgumentException("session token must be 1 or more visible ASCII characters without"
                    + " '\"', ',', ';' or '\\' (a cookie value), was " + token.length() + " characters");
        }
        return SESSION_COOKIE + "=" + token;
    }

    /** RFC 6265 {@code cookie-octet}: visible ASCII but '"', ',', ';' and '\\'. */
    private static boolean isCookieOctet(int c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != ',' && c != ';' && c != '\\';
    }

    /**
     * A transport with its own client; {@code cookie} is the whole {@code Cookie} header, e.g.
     * {@code sessionCookie(token)}.
     */
    public static HttpTransport create(URI base, String cookie) {
        Objects.requireNonNull(cookie, "cookie");
        return create(HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build(), base, () -> cookie, DEFAULT_TIMEOUT);
    }

    /** A transport with its own client and a cookie read before each request (it may change on re-login). */
    public static HttpTransport create(URI base, Supplier<String> cookie) {
        return create(HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build(), base, cookie, DEFAULT_TIMEOUT);
    }

    /** A transport over {@code client}, each request bounded by {@code timeout}. */
    public static HttpTransport create(HttpClient client, URI base, Supplier<String> cookie, Duration timeout) {
        return new HttpTransport(client, base, cookie, timeout);
    }

    @Override
    public SendResult send(OutgoingMessage message) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base + "/api/rooms/" + message.roomId() + "/messages"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(message)));
        String c = cookie.get();
        if (c != null && !c.isEmpty()) {
            request.header("Cookie", c);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw TransportException.network("no response from " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TransportException.network("interrupted while sending to " + base, e);
        }
        int status = response.statusCode();
        if (status == 200 || status == 201) {
            try {
                return new SendResult(message(Json.parseObject(response.body())), status == 200);
            } catch (RuntimeException e) {
                throw TransportException.unreadable(status, "unreadable " + status + " response: " + e.getMessage(), e);
            }
        }
        throw failure(status, response);
    }

    static String body(OutgoingMessage m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("clientId", m.clientId());
        json.put("content", m.content());
        if (m.replyToId().isPresent()) {
            json.put("replyToId", m.replyToId().getAsLong());
        }
        return Json.write(json);
    }

    static ChatMessage message(Map<String, Object> json) {
        Object reply = json.get("replyToId");
        return new ChatMessage(number(json, "messageId"), text(json, "roomId"), number(json, "seq"),
                text(json, "clientId"), text(json, "authorId"), text(json, "author"), text(json, "content"),
                reply == null ? OptionalLong.empty() : OptionalLong.of(number(json, "replyToId")),
                instant(json.get("createdAt")), json.containsKey("epoch") ? number(json, "epoch") : 1);
    }

    private static TransportException failure(int status, HttpResponse<String> response) {
        String reason = "HTTP " + status;
        try {
            if (Json.parseObject(response.body()).get("error") instanceof String error) {
                reason = reason + ": " + error;
            }
        } catch (RuntimeException notJson) {
            // The status alone says enough.
        }
        var retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpTransport::seconds);
        return retryAfter.isPresent()
                ? TransportException.http(status, reason, retryAfter.get())
                : TransportException.http(status, reason);
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long s = Long.parseLong(header.trim());
            return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long number(Map<String, Object> json, String field) {
        if (json.get(field) instanceof Long n) {
            return n;
        }
        throw new IllegalArgumentException("field " + field + " is not an integer");
    }

    private static String text(Map<String, Object> json, String field) {
        if (json.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("field " + field + " is not a string");
    }

    /** ISO-8601 text ({@code Instant.toString()}) or epoch milliseconds. */
    private static Instant instant(Object value) {
        return switch (value) {
            case String s -> Instant.parse(s);
            case Long millis -> Instant.ofEpochMilli(millis);
            case null, default -> throw new IllegalArgumentException("field createdAt is not a timestamp");
        };
    }
}
