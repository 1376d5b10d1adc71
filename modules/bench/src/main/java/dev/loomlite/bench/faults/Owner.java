package dev.loomlite.bench.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The fuzz run's well-behaved user: one message before the run, and the reads that show whether anything changed. */
final class Owner {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Owner() {
    }

    /** Sends one valid message to {@code fuzz-0}, so that the room and its tables are not empty. */
    static void sendOne(URI base, String cookie) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/rooms/fuzz-0/messages"))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"fuzz-owner-1\",\"content\":\"before the fuzz\"}")));
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("the owner's message answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** The body of a GET that must answer 200. */
    static String get(URI base, String cookie, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build()) {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
