package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import java.util.concurrent.CompletableFuture;

/**
 * How calls reach a connection: handed to worker threads, or run directly under a lock. The seam between the two
 * modes: below it, the code that runs tasks ({@link Runner}, {@link GroupCommit}, each connection's
 * {@link Interrupter}) learns what differs only from the {@link Confinement} the backend gave its runner.
 */
sealed interface Backend<H> permits WorkerBackend, DirectBackend {
    /**
     * Opens (creates, migrates) the database's write connection; blocks until done. Returns the backend's handle
     * on the database ({@code H}: its write queue, or its locked connections), which every later call takes.
     */
    H attach(DbState db);

    <T> T call(H db, PoolMetrics.Kind kind, String label, Work<T> work, long timeoutNanos);

    <T> CompletableFuture<T> callAsync(H db, PoolMetrics.Kind kind, String label, Work<T> work, long timeoutNanos);

    <T> Cursor<T> cursor(H db, String sql, RowMapper<T> mapper, int pageSize, Object[] params, long timeoutNanos);

    /** Runs tasks on this backend's connections; its {@link Runner#confinement} says which thread does. */
    Runner runner();

    int liveWorkers();

    long replacedWorkers();

    void close();
}
