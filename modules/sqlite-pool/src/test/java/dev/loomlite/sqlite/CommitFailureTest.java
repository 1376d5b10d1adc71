package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.FileSizeLimit;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** When the group's COMMIT itself fails: a deferred foreign-key violation, an I/O error. */
class CommitFailureTest {
    @TempDir
    Path dir;

    /** Tables referring to parent through deferred foreign keys; an entry's id tells when it was inserted. */
    private static final List<Migration> DEFERRED_FK = List.of(Migration.sql(1, "deferred fk",
            "CREATE TABLE parent(id INTEGER PRIMARY KEY)",
            "CREATE TABLE child(id INTEGER PRIMARY KEY, parent INTEGER "
                    + "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
            "CREATE TABLE entry(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, parent INTEGER "
                    + "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"));

    private SqlitePool openDeferredFk() {
        return SqlitePool.open(Fixture.config(dir, Mode.WORKERS).migrations(DEFERRED_FK).build());
    }

    @Test
    void a_deferred_foreign_key_violation_found_at_commit_fails_only_the_offending_write() throws Exception {
        try (SqlitePool pool = openDeferredFk()) {
            Database db = pool.database("main");
            CompletableFuture<Object> good;
            CompletableFuture<Object> orphan;
            try (var _ = new Blocker(db)) {
                good = db.writeAsync(s -> s.update("INSERT INTO parent(id) VALUES (1)"));
                orphan = db.writeAsync(s -> s.update("INSERT INTO child(id, parent) VALUES (1, 42)"));
            }

            assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(orphan).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(SqlFailureException.class,
                            e -> assertThat(e.isConstraintViolation() && !e.outcomeUnknown()).isTrue())
                    .withMessageContaining("FOREIGN KEY");
            assertThat(db.query("SELECT id FROM parent", rs -> rs.getInt(1))).containsExactly(1);
            assertThat(db.query("SELECT count(*) FROM child", rs -> rs.getInt(1))).containsExactly(0);
        }
    }

    @Test
    void several_offenders_in_one_batch_fail_alone_and_the_other_writes_commit_in_submission_order() throws Exception {
        Set<Integer> orphans = Set.of(2, 5, 6);
        try (SqlitePool pool = openDeferredFk()) {
            Database db = pool.database("main");
            db.update("INSERT INTO parent(id) VALUES (1)");
            List<CompletableFuture<Object>> writes = new ArrayList<>();
            try (var _ = new Blocker(db)) {
                for (int i = 0; i < 9; i++) {
                    int seq = i;
                    int parent = orphans.contains(i) ? 1000 + i : 1;
                    writes.add(db.writeAsync(s -> s.update("INSERT INTO entry(seq, parent) VALUES (?, ?)", seq,
                            parent)));
                }
            }

            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                try {
                    writes.get(i).get(5, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(e).cause().isInstanceOf(SqlFailureException.class).hasMessageContaining("FOREIGN KEY");
                    failed.add(i);
                }
            }
            assertThat(failed).containsExactlyInAnyOrderElementsOf(orphans);
            assertThat(db.query("SELECT seq FROM entry ORDER BY id", rs -> rs.getInt(1)))
                    .containsExactly(0, 1, 3, 4, 7, 8);
        }
    }

    @Test
    void a_write_that_breaks_a_reference_made_earlier_in_its_batch_is_the_one_that_fails() throws Exception {
        try (SqlitePool pool = openDeferredFk()) {
            Database db = pool.database("main");
            CompletableFuture<Object> family;
            CompletableFuture<Object> removal;
            try (var _ = new Blocker(db)) {
                family = db.writeAsync(s -> {
                    s.update("INSERT INTO parent(id) VALUES (1)");
                    return s.update("INSERT INTO child(id, parent) VALUES (10, 1)");
                });
                removal = db.writeAsync(s -> s.update("DELETE FROM parent WHERE id = 1"));
            }

            assertThat(family.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(removal).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SqlFailureException.class).withMessageContaining("FOREIGN KEY");
            assertThat(db.query("SELECT parent FROM child", rs -> rs.getInt(1))).containsExactly(1);
        }
    }

    @Test
    void a_write_re_run_after_a_violation_at_commit_returns_the_result_of_the_run_that_committed() throws Exception {
        try (SqlitePool pool = openDeferredFk()) {
            Database db = pool.database("main");
            AtomicInteger runs = new AtomicInteger();
            CompletableFuture<Object> orphan;
            CompletableFuture<Long> good;
            try (var _ = new Blocker(db)) {
                // The orphan takes rowid 1 in the first run; once it is isolated, the good write's re-run takes it.
                orphan = db.writeAsync(s -> s.insert("INSERT INTO entry(seq, parent) VALUES (0, 42)"));
                good = db.writeAsync(s -> {
                    runs.incrementAndGet();
                    return s.insert("INSERT INTO entry(seq, parent) VALUES (1, NULL)");
                });
            }

            assertThat(orphan).failsWithin(5, TimeUnit.SECONDS);
            long id = good.get(5, TimeUnit.SECONDS);
            assertThat(runs.get()).isEqualTo(2);
            assertThat(db.query("SELECT id FROM entry", rs -> rs.getLong(1))).containsExactly(id);
            assertThat(id).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_commit_failing_with_an_io_error_reports_the_write_as_possibly_committed(Mode mode) throws Exception {
        assumeTrue(FileSizeLimit.available(), "needs util-linux prlimit (Linux) to make the COMMIT's WAL write fail");
        // No checkpoint while the test runs: the WAL only grows, so the COMMIT must write past its current end.
        PoolConfig config = Fixture.config(dir, mode).checkpointInterval(Duration.ofHours(1)).build();
        try (SqlitePool pool = SqlitePool.open(config)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('before', 'v')");
            Path wal = Path.of(db.path() + "-wal");
            String limit = FileSizeLimit.current();
            Throwable thrown;
            try {
                thrown = catchThrowable(() -> db.write(s -> {
                    s.update("INSERT INTO kv(k, v) VALUES ('doubtful', 'v')");
                    FileSizeLimit.set(Long.toString(walSize(wal))); // the COMMIT's first WAL write now fails
                    return null;
                }));
            } finally {
                FileSizeLimit.set(limit);
            }

            assertThat(thrown).isInstanceOf(SqlFailureException.class).hasMessageContaining("I/O error")
                    .hasMessageContaining("may or may not be committed");
            assertThat(((PoolException) thrown).outcomeUnknown()).isTrue();
            assertThat(db.update("INSERT INTO kv(k, v) VALUES ('after', 'v')")).isEqualTo(1);
        }
    }

    private static long walSize(Path wal) {
        try {
            return Files.size(wal);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
