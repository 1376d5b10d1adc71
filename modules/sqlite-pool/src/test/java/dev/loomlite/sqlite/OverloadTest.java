package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under deadline pressure the writer neither starts doomed writes nor re-runs the others without bound. */
class OverloadTest {
    static final String FOREVER_INSERT = "INSERT INTO kv(k, v) " + Fixture.FOREVER.replace("count(*)", "'x' || x, 'v'");

    @TempDir
    Path dir;

    @Test
    void a_write_interrupted_in_a_group_makes_each_earlier_write_of_the_group_run_at_most_twice() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            AtomicInteger runsOfA = new AtomicInteger();
            CompletableFuture<Object> a;
            CompletableFuture<Object> b;
            CompletableFuture<Object> c;
            CompletableFuture<Object> d;
            try (var _ = new Blocker(db)) {
                a = db.writeAsync(s -> {
                    runsOfA.incrementAndGet();
                    return s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
                });
                // Each is interrupted at its deadline mid-statement, which rolls back the whole group under it.
                b = db.withTimeout(Duration.ofMillis(300)).writeAsync(s -> s.update(FOREVER_INSERT));
                c = db.withTimeout(Duration.ofMillis(600)).writeAsync(s -> s.update(FOREVER_INSERT));
                d = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('d', 'v')"));
            }

            assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(d.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            for (CompletableFuture<Object> doomed : java.util.List.of(b, c)) {
                assertThat(doomed).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(PoolTimeoutException.class);
            }
            assertThat(runsOfA.get()).isEqualTo(2);
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1))).containsExactly("a", "d");
        }
    }

    @Test
    void a_write_rolled_back_twice_with_its_group_fails_instead_of_running_a_third_time() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            AtomicInteger runsOfA = new AtomicInteger();
            AtomicInteger runsOfV = new AtomicInteger();
            CompletableFuture<Object> a;
            CompletableFuture<Object> v;
            CompletableFuture<Object> x;
            try (var _ = new Blocker(db)) {
                a = db.writeAsync(s -> {
                    runsOfA.incrementAndGet();
                    return s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
                });
                // Succeeds at first; when re-run (after x rolled the group back) it runs on until interrupted.
                v = db.withTimeout(Duration.ofSeconds(1)).writeAsync(s -> runsOfV.incrementAndGet() == 1
                        ? s.update("INSERT INTO kv(k, v) VALUES ('v', 'v')") : s.update(FOREVER_INSERT));
                x = db.withTimeout(Duration.ofMillis(300)).writeAsync(s -> s.update(FOREVER_INSERT));
            }

            assertThat(a).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isExactlyInstanceOf(PoolException.class)
                    .withMessageContaining("rolled back twice").withMessageContaining("nothing of it was committed");
            for (CompletableFuture<Object> doomed : java.util.List.of(v, x)) {
                assertThat(doomed).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(PoolTimeoutException.class);
            }
            assertThat(runsOfA.get()).isEqualTo(2);
            assertThat(Fixture.committedRows(db.path())).isZero();
        }
    }

    @Test
    void a_write_whose_deadline_passes_between_its_statements_is_stopped_without_rolling_back_its_group()
            throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            AtomicInteger runsOfA = new AtomicInteger();
            Duration timeout = Duration.ofMillis(300);
            CompletableFuture<Object> a;
            CompletableFuture<Object> late;
            try (var _ = new Blocker(db)) {
                a = db.writeAsync(s -> {
                    runsOfA.incrementAndGet();
                    return s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
                });
                long queuedAt = System.nanoTime();
                late = db.withTimeout(timeout).writeAsync(s -> {
                    s.update("INSERT INTO kv(k, v) VALUES ('b', 'v')");
                    // Java work outlives the deadline (only the clock says when); then a statement long enough
                    // for the progress handler to see it.
                    Fixture.awaitTrue("past the deadline", // submitted just after queuedAt: its deadline is later
                            () -> System.nanoTime() - queuedAt > timeout.plusMillis(100).toNanos());
                    return s.update("INSERT INTO kv(k, v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
                            + " SELECT x + 1 FROM c WHERE x < 100000) SELECT 'x' || x, 'v' FROM c");
                });
            }

            assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(late).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(PoolTimeoutException.class,
                            e -> assertThat(e.started()).isTrue());
            assertThat(runsOfA.get()).isEqualTo(1);
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1))).containsExactly("a");
        }
    }

    @Test
    void a_write_reaching_the_writer_with_less_time_left_than_writes_take_is_refused_without_running()
            throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            AtomicInteger runs = new AtomicInteger();
            Duration timeout = Duration.ofSeconds(2);
            CompletableFuture<Object> late;
            try (var _ = new Blocker(db)) {
                long queuedAt = System.nanoTime();
                late = db.withTimeout(timeout).writeAsync(s -> {
                    runs.incrementAndGet();
                    return s.update("INSERT INTO kv(k, v) VALUES ('late', 'v')");
                });
                // The blocking write, the writer's only other write, then has run longer than the late one's
                // remaining time: there is no event for "more than half of its deadline went by", only the clock.
                Fixture.awaitTrue("over half of the late write's deadline passed",
                        () -> System.nanoTime() - queuedAt > timeout.toNanos() * 6 / 10);
            }

            assertThat(late).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(PoolTimeoutException.class,
                            e -> assertThat(e.started()).isFalse())
                    .withMessageContaining("ms left of its 2000 ms deadline");
            assertThat(runs.get()).isZero();
            assertThat(Fixture.lane(pool, "main", PoolMetrics.Kind.WRITE).timedOut()).isEqualTo(1);
        }
    }
}
