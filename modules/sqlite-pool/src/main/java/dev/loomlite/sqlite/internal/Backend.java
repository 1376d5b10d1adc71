package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import java.util.concurrent.CompletableFuture;

/** How calls reach a connection: handed to worker threads, or run directly under a lock. */
sealed interface Backend permits WorkerBackend, DirectBackend {
    /** Opens (creates, migrates) the database's write connection; blocks until done. */
    void attach(DbState db);

    <T> T call(DbState db, PoolMetrics.Kind kind, String label, Work<T> work, long timeoutNanos);

    <T> CompletableFuture<T> callAsync(DbState db, PoolMetrics.Kind kind, String label, Work<T> work,
                                       long timeoutNanos);

    <T> Cursor<T> stream(DbState db, String sql, RowMapper<T> mapper, int pageSize, Object[] params, long timeoutNanos);

    Runner runner();

    int liveWorkers();

    long replacedWorkers();

    void close();
}
