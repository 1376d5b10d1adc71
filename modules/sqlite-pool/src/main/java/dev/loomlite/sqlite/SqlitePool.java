package dev.loomlite.sqlite;

import dev.loomlite.sqlite.internal.Pools;
import java.util.List;

/**
 * A pool of SQLite database files served by a fixed set of named platform threads.
 *
 * <p>Threads: {@link PoolConfig#writers()} writer threads each own the write connections of the files
 * assigned to them (a file is never shared between writers); {@link PoolConfig#readers()} reader threads
 * own read-only connections. Many files do not mean many threads. In direct mode
 * ({@link PoolConfig#useWorkers()} false) no thread is started and calls run on the caller's thread under a
 * fair lock per connection.
 *
 * <p>{@link #close()} stops accepting work, drains what is queued up to {@link PoolConfig#shutdownGrace()},
 * fails the rest with {@link PoolClosedException}, rolls back, checkpoints and closes every connection on its
 * owning thread. It is idempotent.
 *
 * <pre>{@code
 * try (SqlitePool pool = SqlitePool.open(PoolConfig.fromEnvironment(Path.of("data")))) {
 *     pool.database("main").update("INSERT INTO kv(k, v) VALUES (?, ?)", "a", "1");
 *     System.out.println(pool.metrics());
 * }
 * }</pre>
 */
public sealed interface SqlitePool extends AutoCloseable permits dev.loomlite.sqlite.internal.PoolImpl {

    /** Opens a pool; no database file is opened until {@link #database(String)} first names it. */
    static SqlitePool open(PoolConfig config) {
        return Pools.open(config);
    }

    /**
     * The database called {@code name} (file {@code <directory>/<name>.db}), created, opened and migrated on
     * first use. Names are 1 to 64 characters of {@code [A-Za-z0-9_-]}: a name is never a path.
     *
     * @throws IllegalArgumentException if the name is not valid
     * @throws PoolException if the file cannot be opened (not a database, read-only directory, locked)
     */
    Database database(String name);

    /**
     * Like {@link #database(String)}, but migrated with {@code migrations} instead of the configuration's
     * default ones: for pools holding files of different schemas.
     *
     * @throws IllegalStateException if the database is already open with other migrations
     */
    Database database(String name, List<Migration> migrations);

    /** The configuration this pool was opened with. */
    PoolConfig config();

    /** A consistent-enough snapshot of the pool's counters; cheap, callable from any thread. */
    PoolMetrics metrics();

    /** Closes the pool gracefully; see the type's documentation. Idempotent. */
    @Override
    void close();
}
