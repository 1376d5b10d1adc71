package dev.loomlite.sqlite.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code sqlite-deadlines} thread of worker mode: every {@value #PERIOD_MS} ms (longer when the queues are
 * very deep) it fails the tasks still queued past their deadline and wakes their callers. Callers can therefore
 * park without a timer (a timed park costs a virtual thread a scheduled timer per call), and a stuck worker
 * cannot hold a queued caller beyond its deadline. Reads the queues only; the workers skip the dropped tasks
 * when they reach them.
 */
final class DeadlineSweeper implements Runnable {
    static final long PERIOD_MS = 5;
    private final WorkerBackend backend;

    DeadlineSweeper(WorkerBackend backend) {
        this.backend = backend;
    }

    @Override
    public void run() {
        long pause = TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
        while (backend.phase != WorkerBackend.TERMINATED) {
            LockSupport.parkNanos(this, pause);
            long now = System.nanoTime();
            backend.forEachQueue(queue -> expire(queue, now));
            // Very deep queues make a sweep expensive: keep the sweeper under ~5% of a core.
            pause = Math.max(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS), 20 * (System.nanoTime() - now));
        }
    }

    private static void expire(ConcurrentLinkedQueue<Task> queue, long now) {
        if (queue.isEmpty()) {
            return;
        }
        // Dropped tasks (expired here, or cancelled by their callers) leave the queue now rather than when a
        // worker reaches them: a worker stuck in a long task must not let the queue grow with dead entries.
        for (Iterator<Task> it = queue.iterator(); it.hasNext();) {
            Task t = it.next();
            if (t.expireIfQueued(now) || t.state == Task.CANCELLED) {
                it.remove();
            }
        }
    }
}
