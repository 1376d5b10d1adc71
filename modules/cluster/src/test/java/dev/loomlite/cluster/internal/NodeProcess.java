package dev.loomlite.cluster.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * One cluster node as its own JVM, launched the way an operator launches it: the server's argument file and the
 * cluster module's layout ({@code java @modules/server/loomlite.args -p modules/cluster/target/lib -m
 * dev.loomlite.server --cluster-map ...}), so the server finds the cluster as a service provider exactly as it would
 * in production (never surefire's patched module path). Its output goes to {@code <dir>/node.log}.
 *
 * <pre>{@code
 * NodeProcess n1 = NodeProcess.start("n1", publicPort, dir, mapFile, 12, List.of(), List.of());
 * n1.awaitHealthy();
 * }</pre>
 */
final class NodeProcess implements AutoCloseable {
    static final String TOKEN = "a-test-cluster-token-of-at-least-32-chars";
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String id;
    final int port;
    final Path dir;
    private final Process process;
    // How it was started, for restart().
    private final Path map;
    private final int shards;
    private final List<String> jvmFlags;
    private final List<String> serverArgs;

    private NodeProcess(String id, int port, Path dir, Process process, Path map, int shards, List<String> jvmFlags,
            List<String> serverArgs) {
        this.serverArgs = serverArgs;
        this.id = id;
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.map = map;
        this.shards = shards;
        this.jvmFlags = jvmFlags;
    }

    /**
     * Starts node {@code id} on {@code port} with its data in {@code dir}; {@code jvmFlags} go before the module,
     * {@code serverArgs} after the server's own flags.
     */
    static NodeProcess start(String id, int port, Path dir, Path map, int shards, List<String> jvmFlags,
            List<String> serverArgs) {
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "@" + System.getProperty("loomlite.args"), "-Xmx128m"));
            command.addAll(jvmFlags);
            command.addAll(List.of("-p", System.getProperty("loomlite.dist"), "-m", "dev.loomlite.server",
                    "--port", Integer.toString(port), "--data", dir.resolve("data").toString(),
                    "--shards", Integer.toString(shards), "--cluster-map", map.toString(), "--node-id", id,
                    "--send-rate", "100000", "--send-burst", "100000", "--sign-in-rate", "10000",
                    "--sign-in-burst", "10000", "--global-sign-in-rate", "100000", "--global-sign-in-burst", "100000"));
            command.addAll(serverArgs);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()));
            builder.environment().put("LOOMLITE_CLUSTER_TOKEN", TOKEN);
            return new NodeProcess(id, port, dir, builder.start(), map, shards, List.copyOf(jvmFlags),
                    List.copyOf(serverArgs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Waits until {@code /health} answers 200; fails with the node's log if it exits or takes too long. */
    NodeProcess awaitHealthy() {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("node " + id + " exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> health = HTTP.send(HttpRequest.newBuilder(uri().resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new AssertionError("node " + id + " not healthy within " + START.toSeconds() + " s:\n" + log());
    }

    /** The same node started again on its port and data (after {@link #kill9} or {@link #close}). */
    NodeProcess restart() {
        return restart(map);
    }

    /** {@link #restart()} with another shard map. */
    NodeProcess restart(Path otherMap) {
        return start(id, port, dir, otherMap, shards, jvmFlags, serverArgs);
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit(Duration bound) {
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("node " + id + " still runs after " + bound.toSeconds() + " s:\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL: the process ends at once, nothing graceful. */
    void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}) with the system's {@code kill}. */
    void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("node.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the node as an operator does (SIGTERM) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
