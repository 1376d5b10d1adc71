package dev.loomlite.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/** Shared test setup: configurations for both modes, a schema, a writer blocker and a raw on-disk check. */
final class Fixture {
    /** Worker threads or direct calls. */
    enum Mode { WORKERS, DIRECT }

    static final List<Migration> KV = List.of(
            Migration.sql(1, "kv table", "CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT NOT NULL)"));

    /** A SQLite query that never ends on its own: only an interrupt stops it. */
    static final String FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
            + "SELECT count(*) FROM c";

    private Fixture() {
    }

    static PoolConfig.Builder config(Path dir, Mode mode) {
        return PoolConfig.builder(dir)
                .useWorkers(mode == Mode.WORKERS)
                .readers(2)
                .shutdownGrace(Duration.ofSeconds(2))
                .defaultTimeout(Duration.ofSeconds(10))
                .migrations(KV);
    }

    static SqlitePool open(Path dir, Mode mode) {
        return SqlitePool.open(config(dir, mode).build());
    }

    /** Rows of kv read straight from the file through a separate JDBC connection: what is really committed. */
    static long committedRows(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM kv")) {
            return rs.getLong(1);
        }
    }

    /** Holds a database's writer busy inside a write until released; the caller knows the writer is in it. */
    static final class Blocker implements AutoCloseable {
        final CompletableFuture<Object> done;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        /** Worker mode only: the blocking write runs on the writer thread. */
        Blocker(Database db) throws InterruptedException {
            done = db.writeAsync(s -> {
                entered.countDown();
                try {
                    release.await(10, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(entered.await(5, SECONDS)).as("writer entered the blocking write").isTrue();
        }

        /** Any mode: the blocking write runs on a virtual thread (direct mode: it holds the write lock). */
        static Blocker onThread(Database db) throws InterruptedException {
            return new Blocker(db, true);
        }

        private Blocker(Database db, boolean thread) throws InterruptedException {
            done = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    done.complete(db.write(s -> {
                        entered.countDown();
                        try {
                            release.await(10, SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return null;
                    }));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            assertThat(entered.await(5, SECONDS)).as("blocking write started").isTrue();
        }

        void release() {
            release.countDown();
        }

        @Override
        public void close() {
            release();
        }
    }

    /**
     * This process's file-size limit (RLIMIT_FSIZE), changed with util-linux {@code prlimit}: a write that would
     * grow a file past it fails with EFBIG (the JVM ignores SIGXFSZ), which SQLite reports as
     * {@code SQLITE_IOERR_WRITE}. It is process-wide: set it only around the one write meant to fail.
     */
    static final class FileSizeLimit {
        private FileSizeLimit() {
        }

        /** Whether prlimit can be run here (Linux with util-linux). */
        static boolean available() {
            try {
                run("prlimit", "--version");
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** The current soft limit, in prlimit's words ("unlimited" or a number of bytes). */
        static String current() {
            return run("prlimit", "--pid", pid(), "--fsize", "--noheadings", "--raw", "--output=SOFT").strip();
        }

        /** Sets the soft limit ("unlimited" or a number of bytes). */
        static void set(String soft) {
            run("prlimit", "--pid", pid(), "--fsize=" + soft + ":");
        }

        private static String pid() {
            return Long.toString(ProcessHandle.current().pid());
        }

        private static String run(String... command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!p.waitFor(10, SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
                }
                return out;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command[0], e);
            }
        }
    }

    /** Waits (spinning, bounded) until the database's lane holds {@code depth} queued tasks. */
    static void awaitDepth(SqlitePool pool, String database, PoolMetrics.Kind kind, int depth) {
        long end = System.nanoTime() + SECONDS.toNanos(5);
        while (depth(pool, database, kind) < depth) {
            if (System.nanoTime() > end) {
                throw new AssertionError("queue of " + database + "/" + kind + " never reached " + depth);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static int depth(SqlitePool pool, String database, PoolMetrics.Kind kind) {
        return lane(pool, database, kind).queueDepth();
    }

    static PoolMetrics.Lane lane(SqlitePool pool, String database, PoolMetrics.Kind kind) {
        return pool.metrics().lanes().stream()
                .filter(l -> l.database().equals(database) && l.kind() == kind)
                .findFirst().orElseThrow();
    }

    /**
     * Waits up to 10 s for a condition that a pool thread makes true where there is no event to wait on (a
     * checkpoint, a metric); fails naming {@code what} otherwise.
     */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
