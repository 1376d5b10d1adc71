package dev.loomlite.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few plain HTTP calls of a run besides sends: sign-in, the rooms' last seqs, history pages. Over one
 * shared {@link HttpClient} (HTTP/1.1, keep-alive), which the senders' transports use too. Public for the fault
 * runs' helpers ({@code dev.loomlite.bench.faults}), which make the same well-formed calls before misbehaving.
 */
public final class Api {
    public static final String COOKIE = "loomlite_session";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SET_COOKIE = Pattern.compile(COOKIE + "=([^;]*)");
    private static final Pattern ROOM = Pattern.compile("\\{[^{}]*}");
    private static final Pattern ROOM_ID = Pattern.compile("\"roomId\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern LAST_SEQ = Pattern.compile("\"lastSeq\"\\s*:\\s*(\\d+)");
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpClient http;
    private final String base;

    public Api(HttpClient http, URI base) {
        this.http = http;
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /**
     * Signs in as {@code name} and returns the {@code Cookie} header value ({@code loomlite_session=...}). On 429
     * it waits the server's {@code Retry-After} and tries again, for at most {@code patience}, telling
     * {@code log} once why (the sign-in limits were not raised).
     */
    public String signIn(String name, Duration patience, java.util.function.Consumer<String> log) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean told = false;
        while (true) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
            if (r.statusCode() == 200) {
                for (String header : r.headers().allValues("Set-Cookie")) {
                    Matcher m = SET_COOKIE.matcher(header);
                    if (m.find()) {
                        return COOKIE + "=" + m.group(1);
                    }
                }
                throw new IllegalStateException("sign-in of " + name + " answered 200 without a " + COOKIE + " cookie");
            }
            long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
            if (r.statusCode() != 429 || System.nanoTime() + wait * 1_000_000_000L > deadline) {
                throw new IllegalStateException("sign-in of " + name + " failed: HTTP " + r.statusCode() + " " + error(r.body())
                        + (r.statusCode() == 429 ? " (start the server with higher --sign-in-rate/--sign-in-burst)" : ""));
            }
            if (!told) {
                log.accept("sign-in rate limited (" + error(r.body()) + "): waiting " + wait + " s and retrying; "
                        + "start the server with higher --sign-in-rate/--sign-in-burst to skip this");
                told = true;
            }
            sleep(Duration.ofSeconds(Math.max(1, wait)));
        }
    }

    /** Every room's last seq ({@code GET /api/rooms}); rooms never written are absent (last seq 0). */
    public Map<String, Long> lastSeqs(String cookie) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/api/rooms")).header("Cookie", cookie).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/rooms failed: HTTP " + r.statusCode() + " " + error(r.body()));
        }
        Map<String, Long> seqs = new HashMap<>();
        Matcher room = ROOM.matcher(r.body());
        while (room.find()) {
            Matcher id = ROOM_ID.matcher(room.group());
            Matcher seq = LAST_SEQ.matcher(room.group());
            if (id.find() && seq.find()) {
                seqs.put(id.group(1), Long.parseLong(seq.group(1)));
            }
        }
        return seqs;
    }

    /** One history page after {@code after} ({@code limit} 1..500), handed message by message to {@code sink}; returns hasMore. */
    boolean history(String cookie, String room, long after, int limit, FrameScanner scanner, FrameScanner.Sink sink) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                URI.create(base + "/api/rooms/" + room + "/messages?after=" + after + "&limit=" + limit)).header("Cookie", cookie).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET history of " + room + " after " + after + " failed: HTTP " + r.statusCode()
                    + " " + error(r.body()));
        }
        scanner.scan(r.body(), sink);
        return scanner.hasMore();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer from " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + base, e);
        }
    }

    private static String error(String body) {
        Matcher m = ERROR.matcher(body);
        return m.find() ? m.group(1) : "";
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting " + d.toMillis() + " ms", e);
        }
    }
}
