package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server started as its own process from a packaged layout, driven over HTTP the way a client drives it, and
 * stopped the way an operator stops it (SIGTERM).
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.start(new ProcessBuilder(command), port, log)) {
 *     server.awaitHealthy();
 *     server.roundTrip();
 *     server.stopWithSigterm();
 * }
 * }</pre>
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** The server's default {@code --shutdown-grace-ms}: a server stopped by SIGTERM has exited within it. */
    static final Duration GRACE = Duration.ofSeconds(10);
    /** Exit status of a JVM that ran its shutdown hooks after SIGTERM (128 + 15): the normal end of a server. */
    static final int SIGTERM_STATUS = 143;

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts {@code builder} (a server told to listen on {@code port}), its output going to {@code log}. */
    static ServerProcess start(ProcessBuilder builder, int port, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ServerProcess(process, log, URI.create("http://127.0.0.1:" + port));
    }

    /** The started process: with an exec'ing launcher, the JVM itself. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * Polls {@code /health} until it answers other than 503 "starting" (the port is bound a moment before the server
     * opens its gate), failing with the server's output if it exits or the wait runs out.
     */
    HttpResponse<String> awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        HttpResponse<String> starting = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> health = get("/health", null);
                if (health.statusCode() != 503 || !health.body().contains("starting")) {
                    return health;
                }
                starting = health;
            } catch (IOException notYet) {
                last = notYet; // the port is not bound yet
            }
            // Waits on the process itself, which also notices an early exit.
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("server did not answer /health within " + START_TIMEOUT + " (last answer: "
                + (starting == null ? "none" : starting.body()) + "):\n" + log(), last);
    }

    /**
     * A real JSON round trip through every module: session (server's own database), send (the chat pipeline,
     * which uses preview structured concurrency, over the pool), history. A launch without
     * {@code --enable-preview}, or a module missing a {@code requires}, fails here and not at startup.
     */
    void roundTrip() throws Exception {
        HttpResponse<String> session = post("/api/session", null, "{\"name\":\"smoke\"}");
        assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
        String cookie = session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        HttpResponse<String> sent = post("/api/rooms/general/messages", cookie,
                "{\"clientId\":\"smoke-1\",\"content\":\"hello from the packaged server\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        assertThat(sent.body()).contains("\"seq\":1", "\"author\":\"smoke\"");

        HttpResponse<String> history = get("/api/rooms/general/messages?after=0", cookie);
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body()).contains(sent.body());
    }

    /** SIGTERM, then the shutdown hook drains: the process must end within the grace, normally and quietly. */
    void stopWithSigterm() throws Exception {
        stopWithSigterm(GRACE.plusSeconds(10));
    }

    /**
     * {@link #stopWithSigterm()} for a JVM that has more to do after the server stopped (writing an AOT cache, which
     * a child JVM assembles for 10-30 s), so may take up to {@code limit}.
     */
    void stopWithSigterm(Duration limit) throws Exception {
        process.destroy();
        assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS))
                .as("exited within %s after SIGTERM", limit).isTrue();
        assertThat(process.exitValue()).as("exit status after SIGTERM:\n%s", log()).isEqualTo(SIGTERM_STATUS);
        assertThat(log()).doesNotContain("Exception").contains("stopped");
    }

    HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookie, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Kills the process if a test failed before stopping it. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
