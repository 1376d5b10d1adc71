package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.PoolSaturatedException;
import dev.loomlite.sqlite.Saturation;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Admission control and counters for one database's read or write lane. A permit is a queue slot: a caller
 * takes one before queuing (or, in direct mode, before waiting for the connection's lock) and the thread that
 * takes the task off the queue gives it back. No lock: a non-fair {@link Semaphore#tryAcquire()} is one CAS.
 */
final class Lane {
    final String database;
    final PoolMetrics.Kind kind;
    final LaneStats stats = new LaneStats();
    private final int limit;
    private final Saturation saturation;
    // Written and read by callers (acquire) and by the threads that dequeue (release). One permit per free
    // queue slot: maxQueue of them when nothing is queued.
    private final Semaphore freeSlots;

    Lane(String database, PoolMetrics.Kind kind, int limit, Saturation saturation) {
        this.database = database;
        this.kind = kind;
        this.limit = limit;
        this.saturation = saturation;
        this.freeSlots = new Semaphore(limit);
    }

    /** Takes a queue slot or fails with {@link PoolSaturatedException}; in WAIT mode waits up to the deadline. */
    void admit(long deadlineNanos) {
        if (freeSlots.tryAcquire()) {
            return;
        }
        if (saturation == Saturation.WAIT) {
            try {
                if (freeSlots.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolException("database '" + database + "': interrupted while waiting for room in the "
                        + laneName() + " queue (" + depth() + " queued, limit " + limit + ")");
            }
        }
        stats.rejected.increment();
        throw new PoolSaturatedException(database, laneName(), depth(), limit);
    }

    void release() {
        freeSlots.release();
    }

    int depth() {
        return Math.max(0, limit - freeSlots.availablePermits());
    }

    String laneName() {
        return kind == PoolMetrics.Kind.READ ? "read" : "write";
    }

    PoolMetrics.Lane snapshot() {
        return stats.snapshot(database, kind, depth());
    }
}
