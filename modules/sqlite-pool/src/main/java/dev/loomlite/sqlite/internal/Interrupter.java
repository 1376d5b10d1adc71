package dev.loomlite.sqlite.internal;

import java.util.function.BooleanSupplier;
import org.sqlite.ProgressHandler;

/**
 * The progress handler installed once per connection. SQLite calls it on the thread that is stepping a
 * statement, every {@value #PERIOD} virtual-machine instructions; a non-zero answer makes the statement fail
 * with SQLITE_INTERRUPT. It stops the connection's current task when that task's deadline passed, its caller
 * cancelled it or the pool is being forced closed. Unlike {@code sqlite3_interrupt} it can never hit another
 * task, because it only looks at the task the owning thread set before running it.
 */
final class Interrupter extends ProgressHandler {
    static final int PERIOD = 1000;
    private final BooleanSupplier forced;
    /** The owning worker's pending caller wake-ups, flushed while a statement runs; null when no worker owns it. */
    private final Wakeups wakeups;
    /** Whether the running thread's interrupt flag cancels the task (it is the caller's: direct mode). */
    private final boolean interruptCancels;
    // Written and read only by the connection's owning thread (the handler runs on it).
    private Task current;
    // Same thread: how long past its deadline the current task may go on before a statement of it is
    // interrupted mid-way (0 but for writes in a group, see GroupCommit.slack).
    private long slackNanos;

    /** Created on the thread that will own the connection. */
    Interrupter(BooleanSupplier forced, Confinement confinement) {
        this.forced = forced;
        this.wakeups = confinement.ownerWakeups();
        this.interruptCancels = confinement.interruptCancels();
    }

    void begin(Task task) {
        begin(task, 0);
    }

    /**
     * Watches {@code task}; a statement of it still running {@code slackNanos} after its deadline is
     * interrupted (cancels and a forced close interrupt at once).
     */
    void begin(Task task, long slackNanos) {
        current = task;
        this.slackNanos = slackNanos;
    }

    /** Whether the current task's deadline has passed (or it was cancelled): checked between its statements. */
    boolean deadlinePassed() {
        Task t = current;
        return t != null && t.shouldStop();
    }

    void end() {
        current = null;
    }

    @Override
    protected int progress() {
        if (wakeups != null) {
            wakeups.flush();
        }
        Task t = current;
        if (t == null) {
            return 0;
        }
        boolean stop = t.cancelRequested || t.expired(System.nanoTime() - slackNanos) || forced.getAsBoolean()
                || (interruptCancels && Thread.currentThread().isInterrupted());
        if (stop && interruptCancels && Thread.currentThread().isInterrupted()) {
            t.cancelRequested = true;
        }
        return stop ? 1 : 0;
    }
}
