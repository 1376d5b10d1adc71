package dev.loomlite.sqlite.internal;

/**
 * Which thread runs a task on its connection, and what follows from that for the code below the
 * {@link Backend} seam (the {@link Runner}, the {@link GroupCommit}, each connection's {@link Interrupter}).
 * Each backend gives its runner one of these; nothing else below the seam asks which mode the pool is in.
 *
 * <ul>
 *   <li>{@link #WORKER}: a pool thread owns the connection; callers hand tasks over and park. A write
 *       transaction holds many callers' writes (group commit).</li>
 *   <li>{@link #CALLER} (direct mode): the caller's own thread runs its task while it holds the connection's
 *       lock. A write transaction holds that one caller's write.</li>
 * </ul>
 */
enum Confinement {
    WORKER(false, true, true, 0),
    CALLER(true, false, false, 1000);

    private final boolean interruptCancels;
    private final boolean groupsCallers;
    private final boolean closeAwaitsOwner;
    private final int walAutocheckpointPages;

    Confinement(boolean interruptCancels, boolean groupsCallers, boolean closeAwaitsOwner,
                int walAutocheckpointPages) {
        this.interruptCancels = interruptCancels;
        this.groupsCallers = groupsCallers;
        this.closeAwaitsOwner = closeAwaitsOwner;
        this.walAutocheckpointPages = walAutocheckpointPages;
    }

    /**
     * Whether the thread running a task is its caller, so that an interrupt of that thread cancels the task
     * (on a worker, the caller's interrupt reaches the task through {@link Task#cancelRequested} instead).
     */
    boolean interruptCancels() {
        return interruptCancels;
    }

    /**
     * Whether one write transaction holds several callers' writes. Then a write interrupted mid-statement rolls
     * back the others with it, so the group commit refuses writes too close to their deadline and lets a
     * statement run a little past it (see {@code GroupCommit.margin} and {@code slack}); alone in its
     * transaction, a write needs neither.
     */
    boolean groupsCallers() {
        return groupsCallers;
    }

    /**
     * Whether {@code close()} waits for the thread that owns a connection to stop. A worker is awaited; a direct
     * caller still holding a connection when the shutdown grace ends is not, so it must not commit after that:
     * its write is rolled back instead.
     */
    boolean closeAwaitsOwner() {
        return closeAwaitsOwner;
    }

    /**
     * {@code PRAGMA wal_autocheckpoint} for a write connection. Worker mode checkpoints on the
     * {@link Checkpointer}'s own connection (and the writer's size bound between batches), never inside a
     * commit: 0. Direct mode has no thread of its own for that: SQLite's automatic checkpoint every 1000
     * pages, inside the committing call, keeps the WAL bounded.
     */
    int walAutocheckpointPages() {
        return walAutocheckpointPages;
    }

    /**
     * The caller wake-ups that the thread opening a connection (its owner) defers, for the connection's
     * progress handler to flush while a statement runs; null when tasks complete on the caller's thread or
     * the owner is not a worker (the checkpointer).
     */
    Wakeups ownerWakeups() {
        Worker owner = this == WORKER ? Threads.currentWorkerOrNull() : null;
        return owner == null ? null : owner.wakeups;
    }
}
