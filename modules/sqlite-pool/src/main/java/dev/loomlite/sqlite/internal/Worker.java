package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.WorkerFailedException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A reader or writer: a loop over queues, run by one platform thread at a time. When the thread dies (an
 * {@link Error} from a task, a broken connection) the worker fails its in-flight tasks, releases its
 * connections on the dying thread and is restarted on a fresh thread that serves what is still queued.
 *
 * <p>Idle protocol, free of lost wake-ups: the worker publishes {@code parked = true}, re-checks its queues,
 * then parks; a submitter enqueues, then reads {@code parked} and unparks. Both sides use volatile accesses,
 * so at least one of them sees the other's write.
 */
abstract class Worker implements Runnable {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");
    private static final VarHandle PARKED;
    /**
     * How long an idle worker polls before it parks. A caller that resubmits within this window (a point-read
     * loop) finds the worker awake and skips a futex wake-up: at low concurrency about twice the throughput.
     */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(Worker.class, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String name;
    final WorkerBackend backend;
    /** Tasks for this worker only (cursor pages, control steps); any thread offers, the worker polls. */
    final ConcurrentLinkedQueue<Task> inbox = new ConcurrentLinkedQueue<>();
    /** Callers to wake once the current batch is done; worker thread only. */
    final Wakeups wakeups = new Wakeups();
    /** The tasks this worker is running now; worker thread only. */
    final List<Task> inflight = new ArrayList<>();
    // Written by the starting/replacing thread, read by signallers and close().
    volatile Thread thread;
    // Written by the worker (true) and signallers (false); read by both.
    volatile boolean parked;
    // Written by the worker thread when its loop returns normally; read by close().
    volatile boolean exited;

    Worker(String name, WorkerBackend backend) {
        this.name = name;
        this.backend = backend;
    }

    void start() {
        Thread t = Threads.create(this, name);
        thread = t;
        t.start();
    }

    @Override
    public final void run() {
        try {
            loop();
            exited = true;
        } catch (Throwable t) {
            die(t);
        }
    }

    /** Serves queues until the pool stops; then closes its connections and returns. */
    abstract void loop();

    /** Whether there is anything for this worker to do right now. */
    abstract boolean hasWork();

    /** Rolls back and closes every connection this worker owns; on the dying thread; never throws. */
    abstract void releaseConnections();

    /** After a death: makes sure work that was queued but not yet taken is found by the replacement. */
    void requeue() {
    }

    /** Wakes the worker if it is parked. Any thread. */
    final void signal() {
        if (parked && PARKED.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }

    /** Parks for at most {@code nanos} unless work arrives. Worker thread only. */
    final void idle(long nanos) {
        wakeups.flush();
        long spinEnd = System.nanoTime() + SPIN_NANOS;
        while (System.nanoTime() - spinEnd < 0) {
            if (hasWork()) {
                return;
            }
            Thread.onSpinWait();
        }
        parked = true;
        if (!hasWork()) {
            LockSupport.parkNanos(this, nanos);
        }
        parked = false;
    }

    private void die(Throwable cause) {
        LOG.log(Level.ERROR, name + " died; failing " + inflight.size() + " in-flight task(s), rolling back and "
                + "starting a replacement", cause);
        WorkerFailedException failure = new WorkerFailedException(name + " died (" + cause + "); its in-flight "
                + "task(s) were rolled back, never committed", cause);
        WorkerFailedException unknown = new WorkerFailedException(name + " died (" + cause + ") during the COMMIT "
                + "of its in-flight write(s): they may or may not be committed", cause, true);
        for (Task t : inflight) {
            if (t.state == Task.DONE) {
                continue;
            }
            Object value = t.pending;
            t.pending = null;
            if (t.committed) {
                backend.runner.finish(t, value, null); // on disk: the caller gets its result, not a failure
            } else {
                backend.runner.finish(t, null, t.committing ? unknown : failure);
            }
        }
        inflight.clear();
        wakeups.flush();
        try {
            releaseConnections();
            requeue();
        } catch (Throwable secondary) {
            cause.addSuppressed(secondary);
        }
        backend.replace(this);
    }

    /** close() side: waits until this worker's loop returned (following replacements); false at the deadline. */
    boolean awaitExit(long deadline) {
        while (true) {
            Thread t = thread;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return !t.isAlive() && exited;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (!t.isAlive() && thread == t) {
                return exited;
            }
        }
    }

    static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
