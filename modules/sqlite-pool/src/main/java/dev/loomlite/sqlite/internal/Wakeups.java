package dev.loomlite.sqlite.internal;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Batches the wake-ups of virtual-thread callers completed by one worker. Unparking a virtual thread from a
 * platform thread is an external submission to the virtual-thread scheduler (a locked queue push and often a
 * carrier wake-up) and it costs the worker, the bottleneck. The worker instead completes a batch of tasks, then
 * starts one virtual thread that unparks them all from a carrier, where each unpark is a cheap local push.
 * Platform-thread callers are unparked at once. A long task does not hold completed callers back: the worker
 * flushes before each task once the oldest wake-up is a few microseconds old (tens when the queue is deep),
 * and the progress handler flushes while a statement runs. Async results are completed on that virtual thread
 * too, so callbacks chained on them never run on a pool thread. Confined to the owning worker thread.
 */
final class Wakeups {
    private static final int CAPACITY = 64;
    /**
     * How long a completed caller may wait for its wake-up while the worker moves on: long when many tasks are
     * queued (throughput: fewer, bigger batches), short when few are (latency: the callers are the pipeline).
     */
    private static final long MAX_DELAY_DEEP_NANOS = 50_000;
    private static final long MAX_DELAY_SHALLOW_NANOS = 3_000;
    /** Queued tasks from which a lane counts as deep. */
    static final int DEEP = 64;
    // Owning worker thread only: parked callers (Thread) and async tasks whose future to complete (Task).
    private final Object[] pending = new Object[CAPACITY];
    private int size;
    private long oldestNanos;

    void add(Thread waiter) {
        if (!waiter.isVirtual()) {
            LockSupport.unpark(waiter);
            return;
        }
        append(waiter);
    }

    /**
     * An async task whose future must complete off the worker: the future's dependent stages (the caller's
     * {@code thenApply}...) then run on a virtual thread, never on a thread that owns connections.
     */
    void add(Task asyncTask) {
        append(asyncTask);
    }

    private void append(Object o) {
        if (size == pending.length) {
            flush();
        }
        if (size == 0) {
            oldestNanos = System.nanoTime();
        }
        pending[size++] = o;
    }

    /** Before a task that might run long: flushes when the oldest wake-up has waited long enough already. */
    void flushIfOld(long now, boolean deepQueue) {
        if (size > 0 && now - oldestNanos > (deepQueue ? MAX_DELAY_DEEP_NANOS : MAX_DELAY_SHALLOW_NANOS)) {
            flush();
        }
    }

    /** Wakes everyone collected so far; the worker calls it before it looks for more work or parks. */
    void flush() {
        if (size == 0) {
            return;
        }
        if (size == 1 && pending[0] instanceof Thread t) {
            LockSupport.unpark(t);
            pending[0] = null;
            size = 0;
            return;
        }
        Object[] batch = Arrays.copyOf(pending, size);
        Arrays.fill(pending, 0, size, null);
        size = 0;
        Threads.startVirtual(() -> deliver(batch), "sqlite-wakeup");
    }

    /** On a virtual thread: unparks the callers and completes the futures of a batch. */
    static void deliver(Object[] batch) {
        for (Object o : batch) {
            if (o instanceof Thread t) {
                LockSupport.unpark(t);
            } else {
                ((Task) o).completeFuture();
            }
        }
    }
}
