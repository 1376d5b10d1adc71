package dev.loomlite.sqlite.internal;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Worker mode's background checkpoints: one platform thread ({@code sqlite-checkpointer}) with a connection
 * of its own per written database. Every {@code checkpointInterval} it runs {@code PRAGMA
 * wal_checkpoint(PASSIVE)} on each database whose writer committed since the last pass. A PASSIVE checkpoint
 * neither waits for nor blocks the writer or the readers: it copies the frames no reader still needs while
 * the writer goes on appending. So the copying, and the fsync of the database file that ends it, no longer
 * stop the writer: under sustained load that work took a fifth of the writer's time, in stalls of up to
 * a few hundred milliseconds (ChatLoad, 2 cores). What remains on the writer is the bound on the WAL's size
 * (a TRUNCATE when it passes {@code journalSizeLimit / 4}), now short because little is left to copy.
 *
 * <p>A checkpoint that could not copy everything (a reader's snapshot still needs old frames, or the writer's
 * TRUNCATE held the checkpoint lock) or that failed leaves the database due, so the next pass tries again
 * even if no write comes. A failed connection is closed and reopened on the next pass. Its connections are
 * confined to its thread (opened, used and closed there); one that stays unused for two minutes is closed,
 * as the writer closes its own.
 *
 * <pre>{@code
 * Checkpointer c = Checkpointer.start(backend, writeQueues);   // with the workers
 * c.requestStop();                                              // in close(), with waking the workers
 * c.awaitExit(deadlineNanos);                                   // by each writer, before its last TRUNCATE
 * }</pre>
 */
final class Checkpointer implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");

    private final WorkerBackend backend;
    private final List<WriteQueue> queues;
    private final long intervalNanos;
    private final Thread thread;
    // Set once by stop(); read by the checkpointer thread.
    private volatile boolean stopping;

    /** Checkpointer-thread state of one database. */
    private static final class Target {
        Conn conn;
        long checkpointedCommits;
        // The last checkpoint left frames behind or failed: due again, writes or not.
        boolean incomplete;
        long lastUsedNanos;
        // Failures in a row, and when the next attempt may run: a lasting fault (disk full, no file
        // descriptors) is retried ever more slowly, up to once a minute, and logged only now and then.
        int failures;
        long retryAtNanos;
    }

    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);

    // Checkpointer thread only.
    private final Map<WriteQueue, Target> targets = new HashMap<>();

    private Checkpointer(WorkerBackend backend, List<WriteQueue> queues) {
        this.backend = backend;
        this.queues = queues;
        this.intervalNanos = backend.config.checkpointInterval().toNanos();
        this.thread = Threads.unstarted(this, "sqlite-checkpointer");
    }

    /** Starts the thread; {@code queues} is the backend's live list of write queues (read on each pass). */
    static Checkpointer start(WorkerBackend backend, List<WriteQueue> queues) {
        Checkpointer c = new Checkpointer(backend, queues);
        c.thread.start();
        return c;
    }

    /** Asks the thread to stop after the checkpoint in progress and close its connections; returns at once. */
    void requestStop() {
        stopping = true;
        LockSupport.unpark(thread);
    }

    /**
     * Waits, until {@code deadlineNanos}, for the thread to end (after {@link #requestStop()}). A writer calls it
     * before its closing TRUNCATE, which a PASSIVE checkpoint still running would otherwise block.
     *
     * @return whether it ended
     */
    boolean awaitExit(long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                LockSupport.parkNanos(this, intervalNanos);
                if (!stopping) {
                    try {
                        pass();
                    } catch (RuntimeException | Error e) {
                        // Never end silently: the writers' size bound keeps the WAL in check meanwhile.
                        LOG.log(Level.ERROR, "sqlite-checkpointer: a pass failed; trying again next interval", e);
                    }
                }
            }
        } finally {
            for (Target t : targets.values()) {
                if (t.conn != null) {
                    t.conn.closeQuietly();
                }
            }
            targets.clear();
        }
    }

    /** Checkpoints every database written since its last checkpoint; closes connections idle too long. */
    private void pass() {
        long now = System.nanoTime();
        for (WriteQueue q : queues) {
            if (stopping) {
                return;
            }
            Target t = targets.computeIfAbsent(q, k -> new Target());
            long commits = q.commits; // read before the checkpoint: commits after it make the next pass due
            if ((commits != t.checkpointedCommits || t.incomplete) && now - t.retryAtNanos >= 0) {
                t.incomplete = !checkpoint(q, t);
                t.checkpointedCommits = commits;
                t.lastUsedNanos = now;
            }
        }
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
            Target t = it.next();
            if (t.conn != null && now - t.lastUsedNanos >= WriterWorker.IDLE_CLOSE_NANOS) {
                t.conn.closeQuietly();
                t.conn = null;
            }
        }
    }

    /** Checkpoints one database; true when the whole WAL is now in the database file. */
    private boolean checkpoint(WriteQueue q, Target t) {
        boolean failed = true;
        try {
            if (t.conn == null) {
                t.conn = Connections.openCheckpointer(q.db, backend.config, backend.runner);
            }
            boolean complete = backend.runner.checkpoint(t.conn, "PASSIVE").complete();
            failed = false;
            t.failures = 0;
            return complete;
        } catch (SQLException | RuntimeException e) {
            // A later pass tries again on a fresh connection; the writer's size bound holds meanwhile.
            t.failures++;
            if (Integer.bitCount(t.failures) == 1) { // the 1st, 2nd, 4th, 8th... failure in a row
                LOG.log(Level.WARNING, q.db + ": background checkpoint failed (" + t.failures + " in a row): "
                        + e.getMessage());
            }
            long backoff = Math.min(MAX_BACKOFF_NANOS, intervalNanos << Math.min(16, t.failures));
            t.retryAtNanos = System.nanoTime() + backoff;
            return false;
        } finally {
            if (failed && t.conn != null) { // Errors too: a connection in an unknown state is not reused
                t.conn.closeQuietly();
                t.conn = null;
            }
        }
    }
}
