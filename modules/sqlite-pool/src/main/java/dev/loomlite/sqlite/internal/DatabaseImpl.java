package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolMetrics.Kind;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Database} view: routes each method to its lane and applies this view's timeout. Immutable.
 *
 * @param <H> the backend's handle on the database (see {@link Backend#attach})
 */
final class DatabaseImpl<H> implements Database {
    private static final Object[] NONE = {};
    private final DbState db;
    private final Backend<H> backend;
    private final H handle;
    private final long timeoutNanos;

    private DatabaseImpl(DbState db, Backend<H> backend, H handle, Duration timeout) {
        this.db = db;
        this.backend = backend;
        this.handle = handle;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Attaches {@code db} to {@code backend} (opens, migrates: blocks until done) and views it. */
    static <H> DatabaseImpl<H> attach(DbState db, Backend<H> backend, Duration timeout) {
        return new DatabaseImpl<>(db, backend, backend.attach(db), timeout);
    }

    DbState state() {
        return db;
    }

    @Override
    public String name() {
        return db.name;
    }

    @Override
    public Path path() {
        return db.path;
    }

    @Override
    public Database withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new DatabaseImpl<>(db, backend, handle, timeout);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Object[] p = params(sql, mapper, params);
        return backend.call(handle, Kind.READ, sql, s -> s.query(sql, mapper, p), timeoutNanos);
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        Object[] p = params(sql, mapper, params);
        return backend.call(handle, Kind.READ, sql, s -> s.queryOne(sql, mapper, p), timeoutNanos);
    }

    @Override
    public <T> Cursor<T> cursor(String sql, RowMapper<T> mapper, int pageSize, Object... params) {
        Object[] p = params(sql, mapper, params);
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
        }
        return backend.cursor(handle, sql, mapper, pageSize, p, timeoutNanos);
    }

    @Override
    public int update(String sql, Object... params) {
        Object[] p = params(sql, this, params);
        TransactionControl.refuse(sql);
        Work<Integer> work = SingleStatement.eligible(sql) ? (SingleStatement<Integer>) s -> s.update(sql, p)
                : s -> s.update(sql, p);
        return backend.call(handle, Kind.WRITE, sql, work, timeoutNanos);
    }

    /**
     * Runs in a savepoint, not bare: an insert refused for having no new rowid (an upsert that updated) may
     * have changed a row, which must be undone alone, not with its whole group.
     */
    @Override
    public long insert(String sql, Object... params) {
        Object[] p = params(sql, this, params);
        TransactionControl.refuse(sql);
        return backend.call(handle, Kind.WRITE, sql, s -> s.insert(sql, p), timeoutNanos);
    }

    @Override
    public <T> List<T> writeQuery(String sql, RowMapper<T> mapper, Object... params) {
        Object[] p = params(sql, mapper, params);
        TransactionControl.refuse(sql);
        return backend.call(handle, Kind.WRITE, sql, s -> s.query(sql, mapper, p), timeoutNanos);
    }

    @Override
    public <T> T read(Work<T> work) {
        return backend.call(handle, Kind.READ, "work", snapshot(work), timeoutNanos);
    }

    @Override
    public <T> T write(Work<T> work) {
        return backend.call(handle, Kind.WRITE, "work", Objects.requireNonNull(work, "work"), timeoutNanos);
    }

    @Override
    public <T> CompletableFuture<T> readAsync(Work<T> work) {
        return backend.callAsync(handle, Kind.READ, "work", snapshot(work), timeoutNanos);
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(Work<T> work) {
        return backend.callAsync(handle, Kind.WRITE, "work", Objects.requireNonNull(work, "work"), timeoutNanos);
    }

    /** A read work unit runs in one read transaction: one consistent snapshot for all its statements. */
    private static <T> Work<T> snapshot(Work<T> work) {
        Objects.requireNonNull(work, "work");
        return s -> {
            Conn conn = ((SessionImpl) s).conn();
            conn.exec("BEGIN");
            // Whatever ends the work (its result, an exception, an Error), the snapshot must not outlive it: an open
            // read transaction on a reader's connection would serve stale reads and block checkpoints.
            boolean ended = false;
            try {
                T result = work.run(s);
                conn.exec("COMMIT");
                ended = true;
                return result;
            } finally {
                if (!ended) {
                    conn.rollbackQuietly();
                }
            }
        };
    }

    private static Object[] params(String sql, Object mapper, Object[] params) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(mapper, "mapper");
        return params == null ? NONE : params;
    }

    @Override
    public String toString() {
        return "Database[" + db.name + ", " + db.path + "]";
    }
}
