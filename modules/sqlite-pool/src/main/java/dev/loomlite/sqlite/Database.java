package dev.loomlite.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One SQLite database file of a {@link SqlitePool}, opened (and migrated) on first use.
 *
 * <p>Routing is by method, never by sniffing SQL: {@code query}, {@code queryOne}, {@code cursor} and
 * {@code read} run on a reader thread over a read-only connection; {@code update}, {@code insert},
 * {@code writeQuery} and {@code write} run on the file's single writer thread, group-committed with the
 * other writes queued for the file, each in its own savepoint. A write call returns once its transaction
 * is committed.
 *
 * <p>A write call returns once its group is committed, or fails with a {@link PoolException} whose type and
 * message say whether anything of it can be on disk: a {@link SqlFailureException} for a write that failed
 * (rolled back alone, the rest of its group unaffected), including one whose deferred foreign keys were violated
 * at {@code COMMIT}; a message saying "may or may not be committed" when the {@code COMMIT} itself failed with
 * an I/O error or a full disk (or the writer died during it), where nobody can know. A write {@link Work} may
 * run more than once before it commits: see {@link Work}.
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

    /**
     * Reads a large result page by page; see {@link Cursor}. Fails at once with {@link PoolSaturatedException}
     * when the pool already has {@link PoolConfig#maxOpenCursors()} cursors open.
     */
    <T> Cursor<T> cursor(String sql, RowMapper<T> mapper, int pageSize, Object... params);

    /**
     * Runs a write statement and returns the number of changed rows once committed. Transaction control
     * ({@code BEGIN}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}, after any
     * comments) is refused at once with {@link IllegalArgumentException} here, in {@link #insert} and in
     * {@link #writeQuery}: the writer's transaction holds other callers' writes.
     */
    int update(String sql, Object... params);

    /**
     * Runs an {@code INSERT} and returns the rowid of the row it inserted once committed. An {@code INSERT}
     * that inserts no row into a rowid table (an ignored conflict, an upsert's {@code DO UPDATE} branch, a
     * {@code WITHOUT ROWID} table) fails with a {@link SqlFailureException} saying "no new rowid", and leaves
     * nothing (not even the upsert's update): it never returns another insert's rowid. For upserts use
     * {@link #writeQuery} with {@code RETURNING}.
     */
    long insert(String sql, Object... params);

    /** Runs a write statement that returns rows ({@code INSERT ... RETURNING}), mapped once committed. */
    <T> List<T> writeQuery(String sql, RowMapper<T> mapper, Object... params);

    /** Runs a work unit on a reader connection (one consistent snapshot). */
    <T> T read(Work<T> work);

    /**
     * Runs a work unit atomically on the writer connection; committed when this returns. The work may run more
     * than once (only the last run commits): see {@link Work}.
     */
    <T> T write(Work<T> work);

    /**
     * {@link #read(Work)} without blocking; cancelling the future cancels the task. In direct mode the work
     * runs on the caller's thread before the (completed) future is returned.
     *
     * <p>Every {@link PoolException} arrives through the future, in both modes: a full queue
     * ({@link PoolSaturatedException}) and a closed pool ({@link PoolClosedException}) too, never thrown by
     * this method. With {@link Saturation#WAIT} the call may block for room, up to its deadline, before it
     * returns. Misuse still throws at once: a null work, a call from inside a work unit.
     */
    <T> CompletableFuture<T> readAsync(Work<T> work);

    /**
     * {@link #write(Work)} without blocking; the future completes after the commit. In direct mode the work
     * runs on the caller's thread before the (completed) future is returned. Failures arrive as for
     * {@link #readAsync(Work)}: through the future, never thrown.
     */
    <T> CompletableFuture<T> writeAsync(Work<T> work);
}
