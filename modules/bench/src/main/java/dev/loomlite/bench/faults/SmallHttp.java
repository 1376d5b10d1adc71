package dev.loomlite.bench.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The two well-formed calls the fault helpers make before misbehaving: sign in, and a room's last seq. */
final class SmallHttp {
    static final String COOKIE = "loomlite_session";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SET_COOKIE = Pattern.compile(COOKIE + "=([^;]*)");

    private SmallHttp() {
    }

    /** Signs in as {@code name}; returns the {@code Cookie} header value. */
    static String signIn(URI base, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sign-in of " + name + " answered " + r.statusCode() + ": " + r.body());
        }
        Matcher m = SET_COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElse(""));
        if (!m.find()) {
            throw new IllegalStateException("sign-in of " + name + " set no " + COOKIE + " cookie");
        }
        return COOKIE + "=" + m.group(1);
    }

    /** The room's last seq (0 for a room never written). */
    static long lastSeq(URI base, String cookie, String room) throws IOException {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/rooms")).header("Cookie", cookie).GET());
            Matcher m = Pattern.compile("\"roomId\":\"" + Pattern.quote(room) + "\",\"lastSeq\":(\\d+)").matcher(r.body());
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build()) {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
