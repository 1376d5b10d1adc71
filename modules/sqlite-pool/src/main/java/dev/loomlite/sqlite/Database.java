package dev.loomlite.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One SQLite database file of a {@link SqlitePool}, opened (and migrated) on first use.
 *
 * <p>Routing is by method, never by sniffing SQL: {@code query}, {@code queryOne}, {@code stream} and
 * {@code read} run on a reader thread over a read-only connection; {@code update}, {@code insert},
 * {@code writeQuery} and {@code write} run on the file's single writer thread, group-committed with the
 * other writes queued for the file, each in its own savepoint. A write call returns once its transaction
 * is committed.
 *
 * <p>Every call has a deadline ({@link PoolConfig#defaultTimeout()}, or {@link #withTimeout(Duration)}):
 * a task still queued at its deadline is dropped without running, a running one is interrupted on its own
 * connection. An interrupted caller cancels its task. Failures are {@link PoolException}s.
 *
 * <p>Thread-safety: all methods may be called from any thread, concurrently. Everything a caller did before
 * a call happens-before the work runs on the worker; everything the work did happens-before the call returns.
 * A work unit must not call the pool again (it would wait for a worker it may be holding): in worker mode
 * such a call fails with {@link IllegalStateException}; use the work's {@link Session}.
 *
 * <pre>{@code
 * Database db = pool.database("chat");
 * List<String> rooms = db.query("SELECT DISTINCT room FROM message", rs -> rs.getString(1));
 * int changed = db.withTimeout(Duration.ofMillis(200)).update("DELETE FROM message WHERE room = ?", "old");
 * }</pre>
 */
public interface Database {
    /** The database's name within the pool. */
    String name();

    /** The database file. */
    Path path();

    /** A view of this database whose calls use {@code timeout} as their deadline. */
    Database withTimeout(Duration timeout);

    /** Runs a read and maps every row on the reader thread. */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

    /** Runs a read and maps its first row, if any. */
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

    /** Reads a large result page by page; see {@link Cursor}. */
    <T> Cursor<T> stream(String sql, RowMapper<T> mapper, int pageSize, Object... params);

    /** Runs a write statement and returns the number of changed rows once committed. */
    int update(String sql, Object... params);

    /** Runs an {@code INSERT} and returns the new rowid once committed. */
    long insert(String sql, Object... params);

    /** Runs a write statement that returns rows ({@code INSERT ... RETURNING}), mapped once committed. */
    <T> List<T> writeQuery(String sql, RowMapper<T> mapper, Object... params);

    /** Runs a work unit on a reader connection (one consistent snapshot). */
    <T> T read(Work<T> work);

    /** Runs a work unit atomically on the writer connection; committed when this returns. */
    <T> T write(Work<T> work);

    /**
     * {@link #read(Work)} without blocking; cancelling the future cancels the task. In direct mode the work
     * runs on the caller's thread before the (completed) future is returned.
     */
    <T> CompletableFuture<T> readAsync(Work<T> work);

    /**
     * {@link #write(Work)} without blocking; the future completes after the commit. In direct mode the work
     * runs on the caller's thread before the (completed) future is returned.
     */
    <T> CompletableFuture<T> writeAsync(Work<T> work);
}
