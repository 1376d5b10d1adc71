package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A writer thread: owns the write connections of the databases assigned to it. It takes a ready database,
 * drains up to {@code maxBatch} of its queued writes and group-commits them. The {@link Checkpointer} copies
 * the WAL back on its own thread; between batches the writer only bounds the WAL's size (TRUNCATE without
 * waiting, checked every {@code checkpointInterval}, when the WAL passes {@code journalSizeLimit / 4}), so no
 * commit ever pays for a checkpoint.
 */
final class WriterWorker extends Worker {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");
    /** A write connection unused this long is closed (reopened on the next write): many files, few fds. */
    static final long IDLE_CLOSE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    /** How long a closing writer waits for the checkpointer's last checkpoint to end. */
    private static final long CHECKPOINTER_EXIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    /** Databases with queued writes; callers offer (via {@link WriteQueue#schedule()}), this writer polls. */
    final ConcurrentLinkedQueue<WriteQueue> ready = new ConcurrentLinkedQueue<>();
    // This worker's thread only.
    private final List<WriteQueue> owned = new ArrayList<>();
    private final ArrayList<Task> batch = new ArrayList<>();
    private final long intervalNanos;
    private final long walThreshold;

    WriterWorker(String name, WorkerBackend backend) {
        super(name, backend);
        this.intervalNanos = backend.config.checkpointInterval().toNanos();
        this.walThreshold = Math.max(1L << 20, backend.config.journalSizeLimit() / 4);
    }

    @Override
    void loop() {
        while (true) {
            Task control = inbox.poll();
            if (control != null) {
                runControl(control);
                wakeups.flush();
                continue;
            }
            WriteQueue q = ready.poll();
            if (q != null) {
                serve(q);
                wakeups.flush();
                continue;
            }
            int phase = backend.phase;
            if (phase >= WorkerBackend.DRAINING && !hasWork()
                    && (backend.readersExited.getCount() == 0 || phase >= WorkerBackend.FORCED)) {
                shutdown();
                return;
            }
            if (phase == WorkerBackend.OPEN) {
                closeIdle();
            }
            idle(phase >= WorkerBackend.DRAINING ? millis(10) : intervalNanos);
        }
    }

    @Override
    boolean hasWork() {
        return !inbox.isEmpty() || !ready.isEmpty();
    }

    /** Control step: opens a database's write connection and migrates it. Writer thread only. */
    void attach(WriteQueue q) {
        Conn conn = Connections.openWriter(q.db, backend.config, backend.runner);
        try {
            Migrator.migrate(conn, q.db);
        } catch (RuntimeException | Error e) {
            conn.closeQuietly(); // the connection is not owned yet: nothing else would close it
            throw e;
        }
        q.conn = conn;
        q.lastCheckpointNanos = System.nanoTime();
        q.lastWriteNanos = q.lastCheckpointNanos;
        owned.add(q);
    }

    private void runControl(Task t) {
        if (t.start()) {
            inflight.add(t);
            backend.runner.runRead(null, t);
            inflight.clear();
        }
    }

    private void serve(WriteQueue q) {
        q.scheduled.set(false);
        Runner runner = backend.runner;
        int max = backend.config.maxBatch();
        batch.clear();
        for (int i = 0; i < max; i++) {
            Task t = q.queue.poll();
            if (t == null) {
                break;
            }
            if (!t.start()) {
                continue;
            }
            inflight.add(t);
            if (backend.forced()) {
                runner.finish(t, null, backend.abandoned(t));
            } else if (t.expired(t.startedNanos)) {
                runner.finish(t, null, t.timedOutQueued());
            } else {
                batch.add(t);
            }
        }
        if (!batch.isEmpty()) {
            Conn conn = writeConn(q);
            if (conn != null) {
                runner.runGroup(conn, batch);
                q.commits++; // this thread is its only writer: a volatile write, no atomic needed
                q.lastWriteNanos = System.nanoTime();
            }
        }
        inflight.clear();
        batch.clear();
        if (!q.queue.isEmpty()) {
            q.schedule();
        }
        checkpointBusy(q);
    }

    /** The write connection, reopened after a writer death; null (batch failed) if it cannot be opened. */
    private Conn writeConn(WriteQueue q) {
        if (q.conn == null) {
            try {
                q.conn = Connections.openWriter(q.db, backend.config, backend.runner);
            } catch (PoolException e) {
                for (Task t : batch) {
                    backend.runner.finish(t, null, e);
                }
                return null;
            }
        }
        return q.conn;
    }

    private void checkpointBusy(WriteQueue q) {
        long now = System.nanoTime();
        if (q.conn == null || now - q.lastCheckpointNanos < intervalNanos) {
            return;
        }
        q.lastCheckpointNanos = now;
        try {
            Path wal = Path.of(q.db.path + "-wal");
            if (Files.exists(wal) && Files.size(wal) > walThreshold) {
                checkpoint(q, "TRUNCATE");
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, q.db + ": cannot stat the WAL", e);
        }
    }

    /** Closes write connections unused for {@link #IDLE_CLOSE_NANOS} (the Checkpointer checkpoints idle files). */
    private void closeIdle() {
        long now = System.nanoTime();
        for (WriteQueue q : owned) {
            if (q.conn != null && now - q.lastWriteNanos >= IDLE_CLOSE_NANOS) {
                closeConnection(q);
            }
        }
    }

    /** Checkpoints without waiting on readers (busy timeout 0 for the duration): it never blocks the writer. */
    private void checkpoint(WriteQueue q, String mode) {
        Conn conn = q.conn;
        try {
            conn.raw.setBusyTimeout(0);
            if (backend.runner.checkpoint(conn, mode).busy()) {
                LOG.log(Level.DEBUG, q.db + ": checkpoint " + mode + " was blocked (a reader's snapshot or the"
                        + " checkpointer); the WAL is bounded again at the next check");
            }
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, q.db + ": checkpoint " + mode + " did not complete: " + e.getMessage());
        } finally {
            try {
                conn.raw.setBusyTimeout((int) backend.config.busyTimeout().toMillis());
            } catch (SQLException e) {
                LOG.log(Level.WARNING, q.db + ": cannot restore busy_timeout", e);
            }
        }
    }

    private void shutdown() {
        // Asked to stop by close() before this writer was woken; its PASSIVE would block our closing TRUNCATE.
        long deadline = Math.min(System.nanoTime() + CHECKPOINTER_EXIT_NANOS, backend.graceEndNanos);
        if (!backend.checkpointer.awaitExit(deadline)) {
            LOG.log(Level.WARNING, name + ": the checkpointer is still running; closing without waiting for it");
        }
        for (WriteQueue q : owned) {
            if (q.conn != null) {
                closeConnection(q);
            }
        }
    }

    /** Rolls back, optimizes, checkpoints (TRUNCATE) and closes a write connection, on this its owner. */
    private void closeConnection(WriteQueue q) {
        Conn conn = q.conn;
        conn.rollbackQuietly();
        try {
            conn.execOnce("PRAGMA optimize");
        } catch (SQLException e) {
            LOG.log(Level.WARNING, q.db + ": PRAGMA optimize at close failed: " + e.getMessage());
        }
        checkpoint(q, "TRUNCATE"); // never waits on a reader: at shutdown the readers are already gone
        conn.closeQuietly();
        q.conn = null;
    }

    /** A death mid-batch leaves the rest of that database's queue unscheduled: schedule every non-empty one. */
    @Override
    void requeue() {
        for (WriteQueue q : owned) {
            if (!q.queue.isEmpty()) {
                q.schedule();
            }
        }
    }

    @Override
    void releaseConnections() {
        for (WriteQueue q : owned) {
            if (q.conn != null) {
                q.conn.rollbackQuietly();
                q.conn.closeQuietly();
                q.conn = null;
            }
        }
    }
}
