package dev.loomlite.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaultTest {
    @TempDir
    Path dir;

    /** An Error subclass standing in for a fatal VM problem inside a task. */
    static final class InjectedError extends Error {
        private static final long serialVersionUID = 1L;

        InjectedError() {
            super("injected");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_work_unit_that_throws_fails_only_its_caller(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.read(s -> {
                throw new IllegalArgumentException("bad input");
            })).isInstanceOf(SqlFailureException.class).hasMessageContaining("bad input");
            assertThat(db.insert("INSERT INTO kv(k, v) VALUES ('a', 'v')")).isEqualTo(1);
            assertThat(pool.metrics().replacedWorkers()).isZero();
        }
    }

    @Test
    void a_writer_killed_by_an_error_is_replaced_and_its_transaction_is_rolled_back() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('half', 'v')");
                throw new OutOfMemoryError("injected");
            })).isInstanceOf(WorkerFailedException.class).hasMessageContaining("sqlite-writer-0");
            assertThat(Fixture.committedRows(db.path())).isZero();
            assertThat(db.insert("INSERT INTO kv(k, v) VALUES ('after', 'v')")).isPositive();
            String writer = db.write(s -> Thread.currentThread().getName());
            assertThat(writer).isEqualTo("sqlite-writer-0");
            assertThat(pool.metrics().replacedWorkers()).isEqualTo(1);
            assertThat(pool.metrics().workers()).isEqualTo(3);
        }
    }

    @Test
    void every_write_of_the_dying_writers_batch_fails_and_none_is_committed() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            CompletableFuture<Object> good;
            CompletableFuture<Object> fatal;
            try (var _ = new Fixture.Blocker(db)) {
                good = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('good', 'v')"));
                fatal = db.writeAsync(s -> {
                    throw new InjectedError();
                });
            }

            for (CompletableFuture<Object> f : java.util.List.of(good, fatal)) {
                assertThat(f).failsWithin(5, SECONDS).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(WorkerFailedException.class);
            }
            assertThat(Fixture.committedRows(db.path())).isZero();
        }
    }

    @Test
    void tasks_queued_behind_a_dying_writer_are_served_by_its_replacement() throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).maxBatch(1).build())) {
            Database db = pool.database("main");
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> dying = db.writeAsync(s -> {
                entered.countDown();
                try {
                    release.await(5, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new InjectedError();
            });
            assertThat(entered.await(5, SECONDS)).isTrue();
            CompletableFuture<Object> queued = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('q', 'v')"));
            release.countDown();

            assertThat(dying).failsWithin(5, SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(WorkerFailedException.class);
            assertThat(queued.get(5, SECONDS)).isEqualTo(1);
            assertThat(Fixture.committedRows(db.path())).isEqualTo(1);
        }
    }

    @Test
    void writes_left_in_the_queue_beyond_the_dying_batch_are_served_by_the_replacement() throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).maxBatch(2).build())) {
            Database db = pool.database("main");
            CompletableFuture<Object> fatal;
            java.util.List<CompletableFuture<Object>> rest = new java.util.ArrayList<>();
            try (var _ = new Fixture.Blocker(db)) {
                fatal = db.writeAsync(s -> {
                    throw new InjectedError();
                });
                for (int i = 0; i < 5; i++) {
                    String key = "k" + i;
                    rest.add(db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key)));
                }
            }

            assertThat(fatal).failsWithin(5, SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(WorkerFailedException.class);
            assertThat(rest.getFirst()).failsWithin(5, SECONDS); // in the dying batch of two
            for (CompletableFuture<Object> f : rest.subList(1, rest.size())) {
                assertThat(f.get(5, SECONDS)).isEqualTo(1);
            }
            assertThat(Fixture.committedRows(db.path())).isEqualTo(4);
        }
    }

    @Test
    void a_write_that_breaks_its_connection_fails_and_the_writer_is_replaced() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('lost', 'v')");
                s.connection().close();
                return null;
            })).isInstanceOf(WorkerFailedException.class).hasMessageContaining("connection broke");
            db.update("INSERT INTO kv(k, v) VALUES ('after', 'v')");

            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("after");
            assertThat(pool.metrics().replacedWorkers()).isEqualTo(1);
        }
    }

    @Test
    void a_reader_killed_by_an_error_is_replaced() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(1).build())) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");

            assertThatThrownBy(() -> db.read(s -> {
                throw new InjectedError();
            })).isInstanceOf(WorkerFailedException.class).hasMessageContaining("sqlite-reader-0");
            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("a");
            assertThat(pool.metrics().replacedWorkers()).isEqualTo(1);
        }
    }

    @Test
    void direct_mode_rolls_back_and_reopens_a_connection_broken_by_a_write() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.DIRECT)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('lost', 'v')");
                s.connection().close();
                return null;
            })).isInstanceOf(WorkerFailedException.class);
            db.update("INSERT INTO kv(k, v) VALUES ('after', 'v')");

            assertThat(Fixture.committedRows(db.path())).isEqualTo(1);
        }
    }
}
