package dev.loomlite.sqlite.internal;

import java.lang.System.Logger.Level;

/**
 * The one place that creates the pool's threads: named platform threads ({@code sqlite-reader-0},
 * {@code sqlite-writer-0}) with an uncaught-exception handler. Daemon, so that a pool nobody closed does not
 * keep the JVM alive; {@link dev.loomlite.sqlite.SqlitePool#close()} is still the way to stop them cleanly.
 */
final class Threads {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");

    private Threads() {
    }

    /** A worker's thread: lets a task find the worker it runs on without a thread-local. */
    static final class WorkerThread extends Thread {
        final Worker worker;

        WorkerThread(Worker worker, String name) {
            super(worker, name);
            this.worker = worker;
        }
    }

    /** A worker's thread, not yet started: the worker publishes it before it can run (signals need it). */
    static WorkerThread create(Worker worker, String name) {
        return configured(new WorkerThread(worker, name));
    }

    /** A pool thread that is not a worker (the deadline sweeper). */
    static Thread start(Runnable task, String name) {
        Thread t = configured(new Thread(task, name));
        t.start();
        return t;
    }

    /** A pool thread that is not a worker, not yet started: for factories that start it (the cursor cleaner). */
    static Thread unstarted(Runnable task, String name) {
        return configured(new Thread(task, name));
    }

    /** A short-lived virtual thread (a worker's batch of caller wake-ups). */
    static void startVirtual(Runnable task, String name) {
        Thread.ofVirtual().name(name).uncaughtExceptionHandler((thread, e) ->
                LOG.log(Level.ERROR, "uncaught failure on " + thread.getName(), e)).start(task);
    }

    private static <T extends Thread> T configured(T t) {
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) ->
                LOG.log(Level.ERROR, "uncaught failure on " + thread.getName(), e));
        return t;
    }

    /** The worker running the current thread; only called from code that runs on a worker. */
    static Worker currentWorker() {
        Worker w = currentWorkerOrNull();
        if (w == null) {
            throw new IllegalStateException("not on a pool worker thread: " + Thread.currentThread());
        }
        return w;
    }

    /**
     * The worker running the current thread, or null on any other thread (a caller, the deadline sweeper, the
     * checkpointer, a closing thread). The one place that tells a worker's thread from others; on the hot path
     * of every task's completion, hence no {@code Optional}.
     */
    static Worker currentWorkerOrNull() {
        return Thread.currentThread() instanceof WorkerThread t ? t.worker : null;
    }
}
