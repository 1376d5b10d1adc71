package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct mode: close() is a barrier; nothing opens a connection or commits once it has closed one. */
class DirectCloseTest {
    @TempDir
    Path dir;

    @Test
    void a_caller_that_passed_the_closed_check_before_close_fails_instead_of_reopening_and_committing()
            throws Exception {
        SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.DIRECT)
                .maxQueue(1).saturation(Saturation.WAIT).build());
        Database db = pool.database("main");
        CompletableFuture<Integer> early;
        CompletableFuture<Integer> late;
        Thread closer;
        try (var _ = Blocker.onThread(db)) {
            early = update(db, "early");
            Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, 1); // admitted, waiting for the lock
            late = new CompletableFuture<>();
            Thread lateCaller = Thread.ofVirtual().start(() -> complete(late, db, "late"));
            awaitParked(lateCaller); // past the closed check, waiting for room in the lane
            closer = Thread.ofVirtual().start(pool::close);
            awaitParked(closer); // waiting for the write lock, queued behind 'early' and before 'late'
        }

        assertThat(closer.join(Duration.ofSeconds(10))).isTrue();
        assertThat(early.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(late).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PoolClosedException.class);
        assertThat(db.path().resolveSibling(db.path().getFileName() + "-wal")).doesNotExist();
        assertThat(Fixture.committedRows(db.path())).isEqualTo(1);
    }

    @Test
    void a_write_still_running_when_the_grace_ends_commits_nothing_and_closes_its_connection() throws Exception {
        SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.DIRECT).shutdownGrace(Duration.ofMillis(100))
                .build());
        Database db = pool.database("main");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> write = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                write.complete(db.write(s -> {
                    int n = s.update("INSERT INTO kv(k, v) VALUES ('late', 'v')");
                    inside.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return n;
                }));
            } catch (RuntimeException e) {
                write.completeExceptionally(e);
            }
        });
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        pool.close(); // returns after the grace, the write still in its work unit
        release.countDown();

        assertThat(write).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PoolClosedException.class);
        assertThat(db.path().resolveSibling(db.path().getFileName() + "-wal")).doesNotExist();
        assertThat(Fixture.committedRows(db.path())).isZero();
    }

    private static CompletableFuture<Integer> update(Database db, String key) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> complete(result, db, key));
        return result;
    }

    private static void complete(CompletableFuture<Integer> result, Database db, String key) {
        try {
            result.complete(db.update("INSERT INTO kv(k, v) VALUES (?, 'v')", key));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private static void awaitParked(Thread t) {
        Fixture.awaitTrue(t + " parked", () -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
    }
}
