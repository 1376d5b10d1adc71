package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void queued_writes_are_committed_in_fewer_transactions_than_writes() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            List<CompletableFuture<Object>> writes = new ArrayList<>();
            try (var _ = new Blocker(db)) {
                for (int i = 0; i < 50; i++) {
                    String key = "k" + i;
                    writes.add(db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key)));
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

            PoolMetrics.Histogram batches = pool.metrics().batches();
            assertThat(batches.sum()).isEqualTo(51);
            assertThat(batches.count()).isLessThanOrEqualTo(3);
            assertThat(batches.max()).isGreaterThanOrEqualTo(50);
            assertThat(Fixture.committedRows(db.path())).isEqualTo(50);
        }
    }

    @Test
    void one_failing_write_in_a_batch_fails_alone() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('taken', 'v')");
            CompletableFuture<Object> before;
            CompletableFuture<Object> duplicate;
            CompletableFuture<Object> after;
            try (var _ = new Blocker(db)) {
                before = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')"));
                duplicate = db.writeAsync(s -> {
                    s.update("INSERT INTO kv(k, v) VALUES ('b', 'v')");
                    return s.update("INSERT INTO kv(k, v) VALUES ('taken', 'v')");
                });
                after = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('c', 'v')"));
            }

            assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(duplicate).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SqlFailureException.class);
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)))
                    .containsExactly("a", "c", "taken");
            assertThat(pool.metrics().batches().max()).isEqualTo(2); // a and c committed together
        }
    }

    @Test
    void single_statement_writes_in_a_batch_fail_alone_when_one_violates_a_constraint() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('taken', 'v')");
            List<CompletableFuture<Long>> calls = new ArrayList<>();
            try (var _ = new Blocker(db)) {
                for (String key : List.of("a", "taken", "c")) {
                    calls.add(onVirtualThread(() -> db.insert("INSERT INTO kv(k, v) VALUES (?, 'v')", key)));
                    Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, calls.size());
                }
            }

            assertThat(calls.get(0).get(5, TimeUnit.SECONDS)).isPositive();
            assertThat(calls.get(2).get(5, TimeUnit.SECONDS)).isPositive();
            assertThat(calls.get(1)).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SqlFailureException.class);
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1)))
                    .containsExactly("a", "c", "taken");
        }
    }

    @Test
    void a_statement_half_applied_by_a_schema_fail_rule_leaves_nothing_while_the_others_commit() throws Exception {
        List<Migration> schema = List.of(Migration.sql(1, "fail rule",
                "CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT UNIQUE ON CONFLICT FAIL)"));
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("failrule", schema);
            db.update("INSERT INTO t(k, v) VALUES ('old', 'taken')");
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            try (var _ = new Blocker(db)) {
                // The middle one inserts ('b', 'new') and then fails on ('c', 'taken'): FAIL keeps 'b' unless undone.
                for (String sql : List.of("INSERT INTO t(k, v) VALUES ('a', 'x')",
                        "INSERT INTO t(k, v) VALUES ('b', 'new'), ('c', 'taken')",
                        "INSERT INTO t(k, v) VALUES ('d', 'y')")) {
                    calls.add(onVirtualThread(() -> db.update(sql)));
                    Fixture.awaitDepth(pool, "failrule", PoolMetrics.Kind.WRITE, calls.size());
                }
            }

            assertThat(calls.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(calls.get(2).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(calls.get(1)).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SqlFailureException.class);
            assertThat(db.query("SELECT k FROM t ORDER BY k", rs -> rs.getString(1))).containsExactly("a", "d", "old");
        }
    }

    @Test
    void a_single_statement_interrupted_in_a_batch_does_not_undo_the_others() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            String forever = "INSERT INTO kv(k, v) " + Fixture.FOREVER.replace("count(*)", "'x' || x, 'v'");
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            try (var _ = new Blocker(db)) {
                calls.add(onVirtualThread(() -> db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')")));
                Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, 1);
                calls.add(onVirtualThread(() -> db.withTimeout(java.time.Duration.ofMillis(300)).update(forever)));
                Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, 2);
                calls.add(onVirtualThread(() -> db.update("INSERT INTO kv(k, v) VALUES ('c', 'v')")));
                Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, 3);
            }

            assertThat(calls.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(calls.get(2).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(calls.get(1)).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PoolTimeoutException.class);
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1))).containsExactly("a", "c");
        }
    }

    @Test
    void a_tiny_statement_cache_evicts_and_reprepares_without_failing() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).statementCacheSize(1).build())) {
            Database db = pool.database("main");
            for (int i = 0; i < 20; i++) {
                db.update("INSERT INTO kv(k, v) VALUES (?, ?)", "k" + i, "v");
                assertThat(db.queryOne("SELECT v FROM kv WHERE k = ?", rs -> rs.getString(1), "k" + i)).contains("v");
                assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getInt(1))).containsExactly(i + 1);
            }
        }
    }

    private static <T> CompletableFuture<T> onVirtualThread(java.util.function.Supplier<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void a_write_call_returns_only_after_its_commit_is_on_disk() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            for (int i = 0; i < 20; i++) {
                db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", "k" + i);
                assertThat(Fixture.committedRows(db.path())).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void many_virtual_thread_writers_all_commit() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "k" + i;
                threads.add(Thread.ofVirtual().start(() -> db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key)));
            }
            for (Thread t : threads) {
                assertThat(t.join(java.time.Duration.ofSeconds(10))).isTrue();
            }

            assertThat(Fixture.committedRows(db.path())).isEqualTo(200);
            assertThat(pool.metrics().batches().sum()).isEqualTo(200);
        }
    }
}
