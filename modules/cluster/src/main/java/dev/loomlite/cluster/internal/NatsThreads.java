package dev.loomlite.cluster.internal;

import io.nats.client.Dispatcher;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every thread jnats runs for one node's connection, named, in one place. jnats runs its socket reader, its writer and
 * each dispatcher's loop as tasks of {@code Options.executor}; its callbacks and connect attempts on single threads from
 * {@code callbackThreadFactory}/{@code connectThreadFactory}; its timers on {@code scheduledExecutor}. Pool threads are
 * {@code loomlite-nats-<node>-<n>}; while a dispatcher's loop runs on one, it is named after the dispatcher (for
 * example {@code loomlite-nats-rooms}), so a thread dump shows which subscriptions a stuck thread serves.
 *
 * <pre>{@code
 * NatsThreads threads = new NatsThreads("n1");
 * Options.builder().executor(threads).scheduledExecutor(threads.timers())
 *        .callbackThreadFactory(threads.factory("callback")).connectThreadFactory(threads.factory("connect"));
 * Dispatcher d = threads.naming("loomlite-nats-rooms", connection::createDispatcher);
 * }</pre>
 */
final class NatsThreads extends AbstractExecutorService {
    private static final System.Logger LOG = System.getLogger(NatsThreads.class.getName());

    private final String node;
    private final ExecutorService pool;
    private final ScheduledThreadPoolExecutor timers;
    // Set by the thread that creates a dispatcher, for the duration of the call: jnats submits the dispatcher's loop
    // from inside createDispatcher, on that same thread.
    private final ThreadLocal<String> dispatcherName = new ThreadLocal<>();

    NatsThreads(String node) {
        this.node = node;
        this.pool = Executors.newCachedThreadPool(factory(null));
        this.timers = new ScheduledThreadPoolExecutor(1, factory("timer"));
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Daemon platform threads {@code loomlite-nats-<node>-<role>-<n>} (no role: {@code loomlite-nats-<node>-<n>}). */
    ThreadFactory factory(String role) {
        String prefix = "loomlite-nats-" + node + "-" + (role == null ? "" : role + "-");
        return Thread.ofPlatform().name(prefix, 1).daemon(true)
                .uncaughtExceptionHandler((t, e) -> LOG.log(Level.ERROR, "uncaught in " + t.getName(), e))
                .factory();
    }

    ScheduledThreadPoolExecutor timers() {
        return timers;
    }

    /** Runs {@code create} (which creates one jnats dispatcher) so that the dispatcher's loop runs under {@code name}. */
    <T> T naming(String name, Supplier<T> create) {
        dispatcherName.set(name);
        try {
            return create.get();
        } finally {
            dispatcherName.remove();
        }
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return super.submit(named(task), result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return super.submit(named(task));
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    private Runnable named(Runnable task) {
        String name = task instanceof Dispatcher ? dispatcherName.get() : null;
        if (name == null) {
            return task;
        }
        return () -> {
            Thread self = Thread.currentThread();
            String poolName = self.getName();
            self.setName(name);
            try {
                task.run();
            } finally {
                self.setName(poolName);
            }
        };
    }

    /** Stops both pools and waits up to {@code millis} for their threads; returns whether they all ended. */
    boolean stop(long millis) throws InterruptedException {
        pool.shutdown();
        timers.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean ended = pool.awaitTermination(millis, TimeUnit.MILLISECONDS)
                && timers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!ended) {
            pool.shutdownNow();
            timers.shutdownNow();
        }
        return ended;
    }

    @Override
    public void shutdown() {
        pool.shutdown();
        timers.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        timers.shutdownNow();
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated() && timers.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}
