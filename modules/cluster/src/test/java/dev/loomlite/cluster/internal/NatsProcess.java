package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code nats-server} for tests (design §11.2), on a free loopback port with a generated config file. Found via
 * {@code NATS_SERVER}, then {@code PATH}, then {@code /usr/sbin/nats-server}; without one, tests are skipped, unless
 * {@code LOOMLITE_REQUIRE_NATS=1} (CI), where they fail. It can be stopped (SIGTERM), killed and started again on the
 * same port.
 *
 * <pre>{@code
 * try (NatsProcess nats = NatsProcess.start(tempDir, OptionalInt.of(32 * 1024))) {
 *     NatsLink link = NatsLink.connect(NatsLink.Settings.of(List.of(nats.uri()), "n1"));
 *     nats.stop();   // the outage
 *     nats.start();  // back on the same port
 * }
 * }</pre>
 */
final class NatsProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(10);

    private final Path binary;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;   // test thread only

    private NatsProcess(Path binary, Path dir, int port, OptionalInt maxPayload) throws IOException {
        this.binary = binary;
        this.port = port;
        this.config = dir.resolve("nats.conf");
        this.log = dir.resolve("nats.log");
        StringBuilder conf = new StringBuilder("listen: 127.0.0.1:" + port + "\n");
        maxPayload.ifPresent(max -> conf.append("max_payload: ").append(max).append('\n'));
        Files.writeString(config, conf);
    }

    /** Starts a broker in {@code dir} (its config and log); skips the test when there is no nats-server. */
    static NatsProcess start(Path dir, OptionalInt maxPayload) {
        try {
            NatsProcess nats = new NatsProcess(requireBinary(), dir, freePort(), maxPayload);
            nats.start();
            return nats;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NatsProcess start(Path dir) {
        return start(dir, OptionalInt.empty());
    }

    /** A loopback port nobody listens on right now (nothing answers a connect there). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path requireBinary() {
        Optional<Path> found = binary();
        if (found.isEmpty()) {
            String message = "no nats-server (NATS_SERVER, PATH, /usr/sbin/nats-server): broker tests need one";
            if ("1".equals(System.getenv("LOOMLITE_REQUIRE_NATS"))) {
                fail(message + " and LOOMLITE_REQUIRE_NATS=1");
            }
            Assumptions.abort(message);
        }
        return found.orElseThrow();
    }

    private static Optional<Path> binary() {
        String explicit = System.getenv("NATS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(p -> !p.isBlank())
                        .map(p -> Path.of(p, "nats-server")), Stream.of(Path.of("/usr/sbin/nats-server")))
                .filter(Files::isExecutable).findFirst();
    }

    int port() {
        return port;
    }

    URI uri() {
        return URI.create("nats://127.0.0.1:" + port);
    }

    /** Starts the broker (again) on its port and returns once the port accepts connections. */
    void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("nats-server on port " + port + " is already running");
        }
        try {
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        long deadline = System.nanoTime() + READY.toNanos();
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nats-server on port " + port + " is not ready after "
                        + READY.toSeconds() + " s (alive: " + process.isAlive() + "); see " + log);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM; returns once the process ended. */
    void stop() {
        end(false);
    }

    /** SIGKILL; returns once the process ended. */
    void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping nats-server on port " + port, e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
