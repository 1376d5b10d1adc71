package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches the packaged layout exactly as production does ({@code java -p lib -m dev.loomlite.server}), not the
 * test-patched module path that surefire builds: a missing {@code requires} passes unit tests but fails here.
 * {@link DistributionLaunchIT} does the same through the distribution's {@code bin/loomlite}.
 */
class PackagedLaunchIT {
    static final Path LIB = Path.of(System.getProperty("loomlite.dist", "target/lib"));
    /** The server's JVM options file, as every launch uses it. */
    static final Path ARGS = Path.of(System.getProperty("loomlite.args", "loomlite.args")).toAbsolutePath();
    static final Duration START_TIMEOUT = ServerProcess.START_TIMEOUT;

    @TempDir
    Path data;

    @Test
    void packaged_server_starts_serves_json_and_stops_cleanly_on_sigterm() throws Exception {
        int port = freePort();
        try (ServerProcess server = ServerProcess.start(launch(port), port, data.resolve("server.log"))) {
            HttpResponse<String> health = server.awaitHealthy();
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");

            HttpResponse<String> missing = server.get("/api/nothing-here", null);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"error\":\"not found\"}");

            server.roundTrip();
            server.stopWithSigterm();
        }
    }

    ProcessBuilder launch(int port) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(List.of(java, "@" + ARGS, "-p", LIB.toString(), "-m", "dev.loomlite.server",
                "--port", Integer.toString(port)))
                .directory(data.toFile());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
