package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolTimeoutException;
import dev.loomlite.sqlite.SqlFailureException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs claimed tasks on a connection, on the thread that owns it, and completes them: a read as is, writes as
 * one group-committed transaction with a savepoint each. Shared by worker and direct mode. Exceptions of a
 * task fail only that task; {@link Error}s and {@link WorkerDeath} propagate to the owning thread.
 */
final class Runner {
    private static final int SQLITE_INTERRUPT = 9;
    private final long slowNanos;
    private final BooleanSupplier forced;
    /** Who runs tasks on the connections: the one difference between worker and direct mode down here. */
    final Confinement confinement;
    final LogHistogram batches = new LogHistogram();
    final LogHistogram checkpoints = new LogHistogram();
    private final GroupCommit groupCommit;

    Runner(long slowNanos, BooleanSupplier forced, Confinement confinement) {
        this.slowNanos = slowNanos;
        this.forced = forced;
        this.confinement = confinement;
        this.groupCommit = new GroupCommit(this, confinement);
    }

    /** Runs a claimed read task (or a pinned cursor step, with {@code conn} null) and completes it. */
    void runRead(Conn conn, Task t) {
        Object result = null;
        RuntimeException failure = null;
        if (conn != null) {
            conn.interrupter.begin(t);
        }
        try {
            result = t.work.run(conn == null ? null : conn.session);
        } catch (SQLException | RuntimeException e) {
            failure = translate(t, e);
        } finally {
            if (conn != null) {
                conn.interrupter.end();
            }
        }
        finish(t, result, failure);
    }

    /** Runs claimed write tasks as one group-committed transaction; see {@link GroupCommit}. */
    void runGroup(Conn conn, List<Task> tasks) {
        groupCommit.run(conn, tasks);
    }

    /**
     * What {@code PRAGMA wal_checkpoint} reported: whether it was blocked ({@code SQLITE_BUSY}: a reader or
     * another checkpoint in the way; SQLite reports it in the row, not as an error), the WAL's frames and how
     * many of them are now in the database file.
     */
    record Checkpoint(boolean busy, int logFrames, int checkpointedFrames) {
        /** Everything in the WAL is in the database file (or there is no WAL). */
        boolean complete() {
            return !busy && checkpointedFrames >= logFrames;
        }
    }

    /**
     * Runs {@code PRAGMA wal_checkpoint(mode)}; records its duration unless it was blocked. Failures are
     * thrown, for the caller to log.
     */
    Checkpoint checkpoint(Conn conn, String mode) throws SQLException {
        long start = System.nanoTime();
        Checkpoint result;
        try (Statement st = conn.raw.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            result = rs.next() ? new Checkpoint(rs.getInt(1) != 0, rs.getInt(2), rs.getInt(3)) : new Checkpoint(false, 0, 0);
        }
        if (!result.busy()) {
            checkpoints.record(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        }
        return result;
    }

    /**
     * A progress handler for a connection opened on the calling thread, its owner: it stops a task when this
     * runner's pool is forced closed, and knows from the runner's confinement who runs the tasks.
     */
    Interrupter interrupter() {
        return new Interrupter(forced, confinement);
    }

    /** Whether the pool is being forced closed (its shutdown grace is over). */
    boolean forced() {
        return forced.getAsBoolean();
    }

    RuntimeException translate(Task t, Exception e) {
        if (e instanceof PoolException pe) {
            return pe;
        }
        boolean interrupted = e instanceof SQLException sql && (sql.getErrorCode() & 0xff) == SQLITE_INTERRUPT;
        if (interrupted || t.shouldStop()) {
            RuntimeException stop = stopped(t);
            stop.addSuppressed(e);
            return stop;
        }
        String what = e instanceof SQLException ? t.label + ": " + e.getMessage()
                : "work unit threw " + e;
        return new SqlFailureException(t.db.name, what, e);
    }

    RuntimeException stopped(Task t) {
        if (t.cancelRequested) {
            return new PoolException(t.db + ": " + t.lane.laneName() + " task cancelled by its caller"
                    + " (interrupted) and rolled back (" + t.label + ")");
        }
        if (t.expired(System.nanoTime())) {
            return t.timedOutRunning();
        }
        if (forced.getAsBoolean()) {
            return new PoolClosedException(t.db + ": pool closed while the task ran; it was interrupted and "
                    + "rolled back (" + t.label + ")");
        }
        return new PoolException(t.db + ": task interrupted (" + t.label + ")");
    }

    /** Records the outcome in the lane's counters (and JFR when slow) and completes the task. */
    void finish(Task t, Object value, RuntimeException failure) {
        long end = System.nanoTime();
        long started = t.startedNanos == 0 ? end : t.startedNanos;
        LaneStats stats = t.lane.stats;
        long waitMicros = TimeUnit.NANOSECONDS.toMicros(started - t.submittedNanos);
        long execMicros = TimeUnit.NANOSECONDS.toMicros(end - started);
        stats.waitMicros.record(waitMicros);
        stats.execMicros.record(execMicros);
        if (failure == null) {
            stats.completed.increment();
        } else if (failure instanceof PoolTimeoutException) {
            stats.timedOut.increment();
        } else {
            stats.failed.increment();
        }
        if (end - started > slowNanos) {
            slow(t, waitMicros, execMicros, failure);
        }
        if (failure == null) {
            t.complete(value);
        } else {
            t.fail(failure);
        }
    }

    private static void slow(Task t, long waitMicros, long execMicros, RuntimeException failure) {
        SlowTaskEvent event = new SlowTaskEvent();
        if (event.isEnabled()) {
            event.database = t.db.name;
            event.lane = t.lane.laneName();
            event.sql = t.label;
            event.waitMicros = waitMicros;
            event.execMicros = execMicros;
            event.outcome = failure == null ? "ok" : failure.getClass().getSimpleName();
            event.commit();
        }
    }
}
