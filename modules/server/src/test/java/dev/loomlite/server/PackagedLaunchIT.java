package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches the packaged layout exactly as production does ({@code java -p lib -m dev.loomlite.server}), not the
 * test-patched module path that surefire builds: a missing {@code requires} passes unit tests but fails here.
 */
class PackagedLaunchIT {
    static final Path LIB = Path.of(System.getProperty("loomlite.dist", "target/lib"));
    /** The server's JVM options file, as every launch uses it. */
    static final Path ARGS = Path.of(System.getProperty("loomlite.args", "loomlite.args")).toAbsolutePath();
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void packaged_server_starts_serves_json_and_stops_cleanly_on_sigterm() throws Exception {
        int port = freePort();
        Path log = data.resolve("server.log");
        Process process = launch(port, log);
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpResponse<String> health = awaitHealthy(process, base, log);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");

            HttpResponse<String> missing = get(base.resolve("/api/nothing-here"));
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"error\":\"not found\"}");

            roundTrip(base);

            process.destroy(); // SIGTERM: the shutdown hook drains and exits
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(Files.readString(log)).doesNotContain("Exception").contains("stopped");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A real JSON round trip through every module: session (server's own database), send (the chat pipeline,
     * which uses preview structured concurrency, over the pool), history. A launch without
     * {@code --enable-preview}, or a module missing a {@code requires}, fails here and not at startup.
     */
    void roundTrip(URI base) throws Exception {
        HttpResponse<String> session = post(base.resolve("/api/session"), null, "{\"name\":\"smoke\"}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        HttpResponse<String> sent = post(base.resolve("/api/rooms/general/messages"), cookie,
                "{\"clientId\":\"smoke-1\",\"content\":\"hello from the packaged server\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        assertThat(sent.body()).contains("\"seq\":1", "\"author\":\"smoke\"");

        HttpResponse<String> history = http.send(HttpRequest.newBuilder(base.resolve("/api/rooms/general/messages?after=0"))
                .header("Cookie", cookie).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).contains(sent.body());
    }

    HttpResponse<String> post(URI uri, String cookie, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Process launch(int port, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "@" + ARGS,
                "-p", LIB.toString(), "-m", "dev.loomlite.server",
                "--port", Integer.toString(port)));
        return new ProcessBuilder(command)
                .directory(log.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    HttpResponse<String> awaitHealthy(Process process, URI base, Path log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                return get(base.resolve("/health"));
            } catch (IOException notYet) {
                last = notYet;
                // Polling a port that is not yet bound: wait on the process itself, which also notices an early exit.
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("server did not answer /health within " + START_TIMEOUT + ":\n" + Files.readString(log), last);
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
