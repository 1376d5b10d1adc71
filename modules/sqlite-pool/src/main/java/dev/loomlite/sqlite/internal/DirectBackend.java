package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import dev.loomlite.sqlite.WorkerFailedException;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Direct mode ({@code USE_SQLITE_WORKERS=0}): every call runs on the caller's thread while it holds a fair
 * lock on one connection of the database (one write connection, {@code readers} read connections). Same API,
 * same deadlines and saturation (the lane's slots count callers waiting for a lock); no group commit.
 */
final class DirectBackend implements Backend<DirectConnections> {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");

    private final PoolConfig config;
    private final Runner runner;
    /** The pool's bound on open cursors. */
    private final CursorSlots cursorSlots;
    // Added by opening threads; read by close().
    private final List<DirectConnections> all = new CopyOnWriteArrayList<>();
    // Written by close(); read by callers: no new call is accepted.
    private volatile boolean closed;
    // Written by close() before `closed`; read by callers and the interrupters: when the grace ends, running
    // statements are interrupted and calls still waiting for a connection fail. Until then they are served.
    private volatile long graceEndNanos;

    DirectBackend(PoolConfig config) {
        this.config = config;
        this.runner = new Runner(config.slowTaskThreshold().toNanos(), this::forced, Confinement.CALLER);
        this.cursorSlots = new CursorSlots(config.maxOpenCursors());
    }

    /** Whether close()'s grace has run out. */
    private boolean forced() {
        return closed && System.nanoTime() - graceEndNanos >= 0;
    }

    @Override
    public Runner runner() {
        return runner;
    }

    @Override
    public DirectConnections attach(DbState db) {
        DirectConnections d = new DirectConnections(db, config, runner);
        d.openWriter();
        all.add(d);
        return d;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T call(DirectConnections d, PoolMetrics.Kind kind, String label, Work<T> work, long timeoutNanos) {
        DbState db = d.db;
        if (closed) {
            throw WorkerBackend.closed(db);
        }
        Lane lane = db.lane(kind);
        Task t = new Task(db, lane, label, work, timeoutNanos, Task.Mode.INLINE);
        lane.admit(t.deadlineNanos);
        int slot;
        try {
            slot = d.lock(kind, t);
        } finally {
            lane.release();
        }
        try {
            t.start();
            if (forced()) {
                runner.finish(t, null, WorkerBackend.closed(db));
            } else {
                run(d, slot, t);
            }
        } finally {
            d.unlock(slot);
        }
        return (T) t.outcome();
    }

    private void run(DirectConnections d, int slot, Task t) {
        Conn conn;
        try {
            conn = d.conn(slot);
        } catch (PoolException e) {
            runner.finish(t, null, e);
            return;
        }
        try {
            if (slot == DirectConnections.WRITER) {
                runner.runGroup(conn, List.of(t));
            } else {
                runner.runRead(conn, t);
                if (conn.broken()) {
                    throw new WorkerDeath(t.db + ": read connection broke during " + t.label);
                }
            }
        } catch (WorkerDeath e) {
            d.discard(slot);
            if (t.state != Task.DONE) {
                runner.finish(t, null, new WorkerFailedException(e.getMessage() + "; rolled back", e));
            }
        } catch (Error e) {
            conn.rollbackQuietly();
            d.discard(slot);
            throw e;
        }
    }

    @Override
    public <T> CompletableFuture<T> callAsync(DirectConnections d, PoolMetrics.Kind kind, String label,
                                              Work<T> work, long timeoutNanos) {
        try {
            return CompletableFuture.completedFuture(call(d, kind, label, work, timeoutNanos));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public <T> Cursor<T> cursor(DirectConnections d, String sql, RowMapper<T> mapper, int pageSize,
                                Object[] params, long timeoutNanos) {
        if (closed) {
            throw WorkerBackend.closed(d.db);
        }
        return DirectCursor.open(d.db, config, runner, cursorSlots, sql, mapper, pageSize, params, timeoutNanos);
    }

    @Override
    public int liveWorkers() {
        return 0;
    }

    @Override
    public long replacedWorkers() {
        return 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        long graceEnd = System.nanoTime() + config.shutdownGrace().toNanos();
        graceEndNanos = graceEnd;
        closed = true;
        for (DirectConnections d : all) {
            int left = d.closeAll(graceEnd);
            if (left > 0) {
                LOG.log(Level.WARNING, d.db + ": " + left + " connection(s) still in use after the shutdown grace;"
                        + " their callers are interrupted, commit nothing more and close them when they let go");
            }
        }
    }

    static void logClose(DbState db, SQLException e) {
        LOG.log(Level.WARNING, db + ": optimize/checkpoint at close failed: " + e.getMessage());
    }
}
