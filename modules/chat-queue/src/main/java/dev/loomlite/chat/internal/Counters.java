package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The service's counters; every field is updated by any thread and read by {@link #snapshot}. */
final class Counters {
    final LongAdder accepted = new LongAdder();
    final LongAdder replayed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final AtomicInteger subscribers = new AtomicInteger();
    // Commit sink calls that threw (RoomLoop.sink).
    final AtomicLong sinkFailures = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition noRooms = lock.newCondition();
    // Guarded by lock. Running room loops: incremented by a loop as it starts, decremented as it ends.
    private int activeRooms;

    void roomStarted() {
        lock.lock();
        try {
            activeRooms++;
        } finally {
            lock.unlock();
        }
    }

    void roomEnded() {
        lock.lock();
        try {
            if (--activeRooms == 0) {
                noRooms.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no room loop runs or the deadline ({@link System#nanoTime()}) passes; true when none runs. */
    boolean awaitNoRooms(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (activeRooms > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                noRooms.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int activeRooms() {
        lock.lock();
        try {
            return activeRooms;
        } finally {
            lock.unlock();
        }
    }

    ChatMetrics snapshot(int queued) {
        return new ChatMetrics(accepted.sum(), replayed.sum(), rejected.sum(), failed.sum(), timedOut.sum(), queued, activeRooms(),
                subscribers.get(), dropped.sum());
    }

    static long deadline(long timeoutNanos) {
        return System.nanoTime() + Math.min(timeoutNanos, TimeUnit.DAYS.toNanos(1));
    }
}
