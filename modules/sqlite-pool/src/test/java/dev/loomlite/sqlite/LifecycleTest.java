package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void close_is_idempotent_and_later_calls_fail_with_pool_closed(Mode mode) {
        SqlitePool pool = Fixture.open(dir, mode);
        Database db = pool.database("main");
        pool.close();
        pool.close();

        assertThatThrownBy(() -> db.query("SELECT 1", rs -> rs.getInt(1))).isInstanceOf(PoolClosedException.class)
                .hasMessageContaining("'main'");
        assertThatThrownBy(() -> pool.database("other")).isInstanceOf(PoolClosedException.class);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void an_async_read_on_a_closed_pool_returns_a_failed_future_instead_of_throwing(Mode mode) {
        SqlitePool pool = Fixture.open(dir, mode);
        Database db = pool.database("main");
        pool.close();

        CompletableFuture<Integer> read = db.readAsync(s -> 1);

        assertThat(read).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PoolClosedException.class).withMessageContaining("'main'");
    }

    @Test
    void close_drains_queued_writes_before_closing() throws Exception {
        SqlitePool pool = Fixture.open(dir, Mode.WORKERS);
        Database db = pool.database("main");
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        Thread closer;
        try (var _ = new Blocker(db)) {
            for (int i = 0; i < 5; i++) {
                String key = "k" + i;
                writes.add(db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key)));
            }
            closer = Thread.ofVirtual().start(pool::close);
        }

        assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
        for (CompletableFuture<Object> w : writes) {
            assertThat(w.get(1, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(Fixture.committedRows(db.path())).isEqualTo(5);
    }

    @Test
    void direct_mode_close_serves_calls_already_waiting_for_the_connection_within_the_grace() throws Exception {
        SqlitePool pool = Fixture.open(dir, Mode.DIRECT);
        Database db = pool.database("main");
        List<CompletableFuture<Integer>> writes = new ArrayList<>();
        Thread closer;
        try (var _ = Blocker.onThread(db)) {
            for (int i = 0; i < 3; i++) {
                String key = "k" + i;
                CompletableFuture<Integer> w = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        w.complete(db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key));
                    } catch (RuntimeException e) {
                        w.completeExceptionally(e);
                    }
                });
                writes.add(w);
                Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, writes.size());
            }
            closer = Thread.ofVirtual().start(pool::close);
            awaitRefusingNewCalls(db);
        }

        assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
        for (CompletableFuture<Integer> w : writes) {
            assertThat(w.get(1, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(Fixture.committedRows(db.path())).isEqualTo(3);
    }

    /** Until close() has started: new calls are then refused while accepted ones still wait for the lock. */
    private static void awaitRefusingNewCalls(Database db) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                db.queryOne("SELECT 1", rs -> rs.getInt(1));
            } catch (PoolClosedException closed) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("close() never started refusing calls");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void close_fails_what_is_still_queued_when_the_grace_period_ends() throws Exception {
        SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS)
                .shutdownGrace(Duration.ofMillis(200)).build());
        Database db = pool.database("main");
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> forever = db.writeAsync(s -> {
            running.countDown();
            return s.query(Fixture.FOREVER, rs -> rs.getLong(1));
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> queued = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('q', 'v')"));
        pool.close();

        for (CompletableFuture<Object> f : List.of(forever, queued)) {
            assertThat(f).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PoolClosedException.class);
        }
        assertThat(Fixture.committedRows(db.path())).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void close_checkpoints_the_wal_into_the_database_file(Mode mode) throws Exception {
        Path wal;
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            for (int i = 0; i < 50; i++) {
                db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", "k" + i);
            }
            wal = Path.of(db.path() + "-wal");
        }

        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL empty or gone").isTrue();
        assertThat(Fixture.committedRows(dir.resolve("main.db"))).isEqualTo(50);
    }

    @Test
    void close_stops_every_worker_thread() {
        SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(3).writers(2).build());
        pool.database("main").query("SELECT 1", rs -> rs.getInt(1));
        assertThat(pool.metrics().workers()).isEqualTo(5);
        pool.close();

        assertThat(pool.metrics().workers()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void missing_directories_and_files_are_created(Mode mode) {
        Path nested = dir.resolve("a/b/c");
        try (SqlitePool pool = Fixture.open(nested, mode)) {
            pool.database("fresh").update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
        }

        assertThat(nested.resolve("fresh.db")).isRegularFile();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_file_that_is_not_a_database_is_reported_as_such(Mode mode) throws Exception {
        Files.writeString(dir.resolve("junk.db"), "this is a text file, not a database ".repeat(200));
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            assertThatThrownBy(() -> pool.database("junk")).isInstanceOf(PoolException.class)
                    .hasMessageContaining("is not a SQLite database").hasMessageContaining("junk.db");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_read_only_directory_is_reported_as_not_writable(Mode mode) throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path target = Files.isWritable(readOnly) ? rootProofReadOnlyDirectory() : readOnly;
            try (SqlitePool pool = Fixture.open(target, mode)) {
                assertThatThrownBy(() -> pool.database("main")).isInstanceOf(PoolException.class)
                        .hasMessageContaining("directory").hasMessageContaining("is not writable");
            }
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Root ignores permission bits; /proc/self refuses new files even to root. */
    private static Path rootProofReadOnlyDirectory() {
        Path procSelf = Path.of("/proc/self");
        assumeTrue(Files.isDirectory(procSelf) && !Files.isWritable(procSelf),
                "running as root and no directory is read-only for root here");
        return procSelf;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_file_locked_by_another_connection_is_reported_as_locked(Mode mode) throws Exception {
        Path file = dir.resolve("held.db");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = other.createStatement()) {
            st.execute("PRAGMA locking_mode=EXCLUSIVE");
            st.execute("CREATE TABLE t(x)");
            st.execute("BEGIN EXCLUSIVE");
            st.execute("INSERT INTO t VALUES (1)");
            try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode)
                    .busyTimeout(Duration.ofMillis(100)).build())) {
                assertThatThrownBy(() -> pool.database("held")).isInstanceOf(PoolException.class)
                        .hasMessageContaining("is locked").hasMessageContaining("held.db");
            }
            st.execute("ROLLBACK");
        }
    }

    @Test
    void a_database_name_that_could_be_a_path_is_rejected() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            assertThatThrownBy(() -> pool.database("../escape")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[A-Za-z0-9_-]");
            assertThatThrownBy(() -> pool.database("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void many_databases_share_the_same_few_threads() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(2).writers(2).build())) {
            for (int i = 0; i < 20; i++) {
                pool.database("tenant-" + i).update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
            }

            assertThat(pool.metrics().workers()).isEqualTo(4);
            assertThat(pool.metrics().lanes()).hasSize(40);
            String w0 = pool.database("tenant-0").write(s -> Thread.currentThread().getName());
            String w1 = pool.database("tenant-1").write(s -> Thread.currentThread().getName());
            assertThat(List.of(w0, w1)).containsExactlyInAnyOrder("sqlite-writer-0", "sqlite-writer-1");
        }
    }

    @Test
    void a_reader_serving_more_databases_than_its_connection_limit_keeps_answering() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(1).build())) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 70; i++) {
                    Database db = pool.database("t" + i);
                    if (round == 0) {
                        db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", "k" + i);
                    }
                    assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("k" + i);
                }
            }
        }
    }
}
