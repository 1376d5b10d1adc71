package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolTimeoutException;
import dev.loomlite.sqlite.Work;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One hand-off from a caller to the thread that owns a connection. The caller parks on it (or holds its
 * future); the worker claims it with a CAS (NEW to RUNNING) so that a caller whose deadline passes can drop it
 * with the opposite CAS (NEW to CANCELLED) and the worker then skips it. The worker writes the outcome fields,
 * then the volatile {@code state}: that write is the happens-before edge to the caller's read of the outcome.
 */
final class Task {
    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final DbState db;
    final Lane lane;
    final String label;
    final Work<?> work;
    final long submittedNanos;
    final long timeoutNanos;
    final CompletableFuture<Object> future;
    // Written by the caller (at creation; a cursor's consumer before each wait); read by the completing worker.
    volatile Thread waiter;
    // Written by the caller at creation and (for cursor pages) when it starts waiting; read by the worker
    // and its progress handler.
    volatile long deadlineNanos;
    // Written by callers and the deadline sweeper (CANCELLED, then DONE) and the worker (RUNNING, DONE);
    // read by all of them.
    volatile int state;
    // Written by the caller (or async cancel); read by the worker's progress handler.
    volatile boolean cancelRequested;
    // Outcome: written by the worker before the volatile state write, read by the caller after reading DONE.
    Object value;
    RuntimeException failure;
    // Written by the submitting caller before the task is queued; read by whoever claims or drops it.
    boolean admitted;
    // Worker thread only: when it started running, and a write's result held until its group commits.
    long startedNanos;
    Object pending;
    // Worker thread only: set for a group's writes just before its COMMIT, and once the COMMIT returned, so a
    // worker dying in between tells the truth ("may or may not") and one dying after answers with the result.
    boolean committing;
    boolean committed;
    // Worker thread only: how many times this write ran again because SQLite rolled back its group's
    // transaction under another write (at most once: see GroupCommit.rerun).
    int reruns;

    /** How the outcome reaches the caller: it parks, it holds a future, or it ran the task itself. */
    enum Mode { PARK, FUTURE, INLINE }

    Task(DbState db, Lane lane, String label, Work<?> work, long timeoutNanos, Mode mode) {
        this.db = db;
        this.lane = lane;
        this.label = label;
        this.work = work;
        this.timeoutNanos = timeoutNanos;
        this.submittedNanos = System.nanoTime();
        this.deadlineNanos = submittedNanos + timeoutNanos;
        this.waiter = mode == Mode.PARK ? Thread.currentThread() : null;
        this.future = mode == Mode.FUTURE ? new CompletableFuture<>() : null;
    }

    /**
     * Worker side: claims the task; false when the caller already dropped it. Whoever wins the race for a
     * NEW task (this or {@link #drop()}) gives its queue slot back, exactly once.
     */
    boolean start() {
        if (STATE.compareAndSet(this, NEW, RUNNING)) {
            startedNanos = System.nanoTime();
            freeSlot();
            return true;
        }
        return false;
    }

    /** Caller side: drops a still-queued task (it stays in the queue until a worker skips it). */
    boolean drop() {
        if (STATE.compareAndSet(this, NEW, CANCELLED)) {
            freeSlot();
            return true;
        }
        return false;
    }

    private void freeSlot() {
        if (admitted) {
            lane.release();
        }
    }

    boolean expired(long now) {
        return now - deadlineNanos >= 0;
    }

    /** Whether a running task should be interrupted: past its deadline or cancelled by its caller. */
    boolean shouldStop() {
        return cancelRequested || expired(System.nanoTime());
    }

    void complete(Object result) {
        value = result;
        state = DONE;
        notifyCaller();
    }

    void fail(RuntimeException error) {
        failure = error;
        state = DONE;
        notifyCaller();
    }

    /**
     * Wakes the parked caller or completes the future. On a worker both are deferred to its batch of wake-ups;
     * elsewhere (the deadline sweeper, close) a future is completed on a fresh virtual thread, so callbacks
     * chained on it never run on a pool thread.
     */
    private void notifyCaller() {
        Thread w = waiter;
        if (w == null && future == null) {
            return;
        }
        Worker worker = Threads.currentWorkerOrNull();
        if (worker != null) {
            if (w != null) {
                worker.wakeups.add(w);
            } else {
                worker.wakeups.add(this);
            }
        } else if (w != null) {
            LockSupport.unpark(w);
        } else {
            Threads.startVirtual(this::completeFuture, "sqlite-complete");
        }
    }

    /** Completes the future with the outcome; called on a virtual thread, after state became DONE. */
    void completeFuture() {
        if (failure != null) {
            future.completeExceptionally(failure);
        } else {
            future.complete(value);
        }
    }

    /**
     * Cancels from any thread: drops the task if queued (and completes it, so a thread already waiting on it,
     * such as a cursor's consumer racing with close(), wakes up), else asks the worker to interrupt it.
     */
    void cancel() {
        if (drop()) {
            fail(new PoolException(db + ": " + lane.laneName() + " task cancelled before it ran"));
        } else {
            cancelRequested = true;
        }
    }

    /**
     * Caller side (worker mode): parks until the outcome. A task still queued at its deadline is dropped by
     * the pool's deadline sweeper, which wakes the caller (an untimed park: a timed one costs a timer per
     * call on a virtual thread); an interrupt drops a queued task or asks the worker to stop a running one;
     * the interrupt flag is restored.
     */
    Object await() {
        if (waiter != Thread.currentThread()) {
            waiter = Thread.currentThread(); // a cursor's page may be awaited by another consumer thread
        }
        boolean interrupted = false;
        try {
            for (int s = state; s != DONE; s = state) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (drop()) {
                        lane.stats.failed.increment();
                        throw new PoolException(db + ": caller interrupted while its " + lane.laneName()
                                + " task was queued; the task was dropped and never ran");
                    }
                    cancelRequested = true;
                    continue;
                }
                if (s == NEW && expired(System.nanoTime())) {
                    if (drop()) {
                        lane.stats.timedOut.increment();
                        throw timedOutQueued();
                    }
                    continue;
                }
                LockSupport.park(this);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return outcome();
    }

    /** The outcome once DONE: the value, or the failure thrown. */
    Object outcome() {
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    /** Sweeper side: fails a task still queued past its deadline and wakes its caller. */
    boolean expireIfQueued(long now) {
        if (state == NEW && expired(now) && drop()) {
            lane.stats.timedOut.increment();
            fail(timedOutQueued());
            return true;
        }
        return false;
    }

    PoolTimeoutException timedOutQueued() {
        return new PoolTimeoutException(db + ": " + lane.laneName() + " task timed out after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms while queued (" + lane.depth()
                + " still queued); it never ran", false);
    }

    /** The writer refused to start it: too little time left (see GroupCommit.margin). */
    PoolTimeoutException refused(long leftNanos, long marginNanos, long averageNanos) {
        return new PoolTimeoutException(db + ": " + lane.laneName() + " task refused: " + millis(leftNanos)
                + " ms left of its " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms deadline when its turn"
                + " came, less than the " + millis(marginNanos) + " ms it needs (twice the " + millis(averageNanos)
                + " ms a write recently took here, at most half its deadline); " + (reruns == 0 ? "it never ran"
                : "its earlier run was rolled back with its group, nothing of it was committed") + " ("
                + lane.depth() + " still queued)", false);
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    PoolTimeoutException timedOutRunning() {
        return new PoolTimeoutException(db + ": " + lane.laneName() + " task ran past its deadline of "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms and was interrupted and rolled back ("
                + label + ")", true);
    }
}
