package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SaturationTest {
    @TempDir
    Path dir;

    private static SqlitePool open(Path dir, Mode mode, Saturation saturation) {
        return SqlitePool.open(Fixture.config(dir, mode).maxQueue(2).saturation(saturation).build());
    }

    /** Queues two writes behind the blocker on virtual threads, filling a queue of limit 2. */
    private static List<CompletableFuture<Integer>> fill(SqlitePool pool, Database db) {
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String key = "q" + i;
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            queued.add(f);
            Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, i + 1);
        }
        return queued;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void write_fails_fast_when_queue_is_full(Mode mode) throws Exception {
        try (SqlitePool pool = open(dir, mode, Saturation.REJECT)) {
            Database db = pool.database("main");
            List<CompletableFuture<Integer>> queued;
            try (var _ = Blocker.onThread(db)) {
                queued = fill(pool, db);

                assertThatThrownBy(() -> db.update("INSERT INTO kv(k, v) VALUES ('over', 'v')"))
                        .isInstanceOfSatisfying(PoolSaturatedException.class, e -> {
                            assertThat(e.database()).isEqualTo("main");
                            assertThat(e.depth()).isEqualTo(2);
                            assertThat(e.limit()).isEqualTo(2);
                        })
                        .hasMessageContaining("'main'").hasMessageContaining("2 queued")
                        .hasMessageContaining("limit 2");
            }
            for (CompletableFuture<Integer> f : queued) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(Fixture.lane(pool, "main", PoolMetrics.Kind.WRITE).rejected()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void an_async_write_on_a_full_queue_returns_a_failed_future_instead_of_throwing(Mode mode) throws Exception {
        try (SqlitePool pool = open(dir, mode, Saturation.REJECT)) {
            Database db = pool.database("main");
            CompletableFuture<Integer> over;
            try (var _ = Blocker.onThread(db)) {
                fill(pool, db);

                over = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('over', 'v')"));
            }

            assertThat(over).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PoolSaturatedException.class).withMessageContaining("limit 2");
            assertThat(db.query("SELECT count(*) FROM kv WHERE k = 'over'", rs -> rs.getInt(1))).containsExactly(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void write_waits_for_room_when_saturation_is_wait(Mode mode) throws Exception {
        try (SqlitePool pool = open(dir, mode, Saturation.WAIT)) {
            Database db = pool.database("main");
            CompletableFuture<Integer> waiting = new CompletableFuture<>();
            List<CompletableFuture<Integer>> queued;
            try (var _ = Blocker.onThread(db)) {
                queued = fill(pool, db);
                Thread.ofVirtual().start(() -> waiting.complete(db.update("INSERT INTO kv(k, v) VALUES ('w', 'v')")));
            }

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            for (CompletableFuture<Integer> f : queued) { // in direct mode the waiter may get the lock before them
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            }
            assertThat(Fixture.committedRows(db.path())).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void waiting_for_room_gives_up_at_the_deadline(Mode mode) throws Exception {
        try (SqlitePool pool = open(dir, mode, Saturation.WAIT)) {
            Database db = pool.database("main");
            try (var _ = Blocker.onThread(db)) {
                fill(pool, db);

                assertThatThrownBy(() -> db.withTimeout(Duration.ofMillis(100))
                        .update("INSERT INTO kv(k, v) VALUES ('w', 'v')"))
                        .isInstanceOf(PoolSaturatedException.class).hasMessageContaining("limit 2");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_full_write_queue_does_not_block_reads(Mode mode) throws Exception {
        try (SqlitePool pool = open(dir, mode, Saturation.REJECT)) {
            Database db = pool.database("main");
            try (var _ = Blocker.onThread(db)) {
                fill(pool, db);

                assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getInt(1))).containsExactly(0);
            }
        }
    }
}
