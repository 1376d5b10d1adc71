package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeadlineTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_write_still_queued_at_its_deadline_is_dropped_without_running(Mode mode) throws Exception {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            try (var _ = Blocker.onThread(db)) {
                assertThatThrownBy(() -> db.withTimeout(Duration.ofMillis(100))
                        .update("INSERT INTO kv(k, v) VALUES ('late', 'v')"))
                        .isInstanceOfSatisfying(PoolTimeoutException.class, e -> assertThat(e.started()).isFalse())
                        .hasMessageContaining("'main'").hasMessageContaining("never ran");
            }
            db.update("INSERT INTO kv(k, v) VALUES ('next', 'v')");

            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("next");
            assertThat(Fixture.lane(pool, "main", PoolMetrics.Kind.WRITE).timedOut()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_query_running_past_its_deadline_is_interrupted_and_the_connection_stays_usable(Mode mode) {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode).readers(1).build())) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");

            Database impatient = db.withTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> impatient.query(Fixture.FOREVER, rs -> rs.getLong(1)))
                    .isInstanceOfSatisfying(PoolTimeoutException.class, e -> assertThat(e.started()).isTrue());
            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("a");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_cached_statement_stopped_at_its_deadline_runs_again_on_the_next_call(Mode mode) {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode).readers(1).build())) {
            Database impatient = pool.database("main").withTimeout(Duration.ofMillis(200));

            // sqlite-jdbc finalizes an interrupted statement; a cache keeping it would fail the second call at once
            // ("statement is not executing") instead of running it again.
            for (int call = 0; call < 2; call++) {
                assertThatThrownBy(() -> impatient.query(Fixture.FOREVER, rs -> rs.getLong(1)))
                        .isInstanceOfSatisfying(PoolTimeoutException.class, e -> assertThat(e.started()).isTrue());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_write_running_past_its_deadline_is_rolled_back_and_the_writer_stays_usable(Mode mode) throws Exception {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.withTimeout(Duration.ofMillis(200)).write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('doomed', 'v')");
                return s.query(Fixture.FOREVER, rs -> rs.getLong(1));
            })).isInstanceOfSatisfying(PoolTimeoutException.class, e -> assertThat(e.started()).isTrue());
            db.update("INSERT INTO kv(k, v) VALUES ('ok', 'v')");

            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("ok");
            assertThat(Fixture.committedRows(db.path())).isEqualTo(1);
        }
    }

    @Test
    void a_write_interrupted_in_a_batch_does_not_undo_the_other_writes_of_the_batch() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            CompletableFuture<Object> before;
            CompletableFuture<Object> slow;
            CompletableFuture<Object> after;
            try (var _ = new Blocker(db)) {
                before = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')"));
                slow = db.withTimeout(Duration.ofMillis(300)).writeAsync(s -> {
                    s.update("INSERT INTO kv(k, v) VALUES ('doomed', 'v')");
                    return s.update("INSERT INTO kv(k, v) " + Fixture.FOREVER.replace("count(*)", "'x' || x, 'v'"));
                });
                after = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('c', 'v')"));
            }

            assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(slow).failsWithin(5, TimeUnit.SECONDS).withThrowableThat()
                    .havingCause().isInstanceOf(PoolTimeoutException.class);
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1))).containsExactly("a", "c");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void an_interrupted_caller_cancels_its_running_query_and_keeps_its_interrupt_flag(Mode mode) throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode).readers(1).build())) {
            Database db = pool.database("main");
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    db.read(s -> {
                        running.countDown();
                        return s.query(Fixture.FOREVER, rs -> rs.getLong(1));
                    });
                } catch (RuntimeException e) {
                    thrown.set(e);
                }
                flag.set(Thread.currentThread().isInterrupted());
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();

            assertThat(caller.join(Duration.ofSeconds(5))).isTrue();
            assertThat(thrown.get()).isInstanceOf(PoolException.class).hasMessageContaining("cancel");
            assertThat(flag.get()).isTrue();
            assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getLong(1))).containsExactly(0L);
        }
    }

    @Test
    void an_interrupted_caller_drops_its_queued_write() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            try (var _ = new Blocker(db)) {
                Thread caller = Thread.ofVirtual().start(() -> {
                    try {
                        db.update("INSERT INTO kv(k, v) VALUES ('dropped', 'v')");
                    } catch (RuntimeException e) {
                        thrown.set(e);
                    }
                });
                Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, 1);
                caller.interrupt();
                assertThat(caller.join(Duration.ofSeconds(5))).isTrue();
            }
            db.update("INSERT INTO kv(k, v) VALUES ('next', 'v')");

            assertThat(thrown.get()).isInstanceOf(PoolException.class).hasMessageContaining("never ran");
            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).containsExactly("next");
        }
    }

    @Test
    void cancelling_an_async_read_interrupts_it() throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(1).build())) {
            Database db = pool.database("main");
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Object> forever = db.readAsync(s -> {
                running.countDown();
                return s.query(Fixture.FOREVER, rs -> rs.getLong(1));
            });
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            forever.cancel(true);

            assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getLong(1))).containsExactly(0L);
        }
    }
}
