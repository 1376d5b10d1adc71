package dev.loomlite.server.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Every thread the server creates itself, Jetty's included: named, logged on failure. */
final class Threads {
    private static final System.Logger LOG = System.getLogger(Threads.class.getName());

    /** Selector(s) and acceptor (one each on 2 cores), the odd blocking housekeeping task, and head-room. */
    private static final int JETTY_MAX_THREADS = 8;
    private static final int JETTY_MIN_THREADS = 2;

    private Threads() {
    }

    /** One named daemon platform thread for periodic housekeeping (pings). */
    static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon(true)
                .uncaughtExceptionHandler(Threads::uncaught).factory());
    }

    /** Virtual threads named {@code prefix-N}, for short parallel jobs such as ending every stream at shutdown. */
    static ExecutorService virtual(String prefix) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix + "-", 0)
                .uncaughtExceptionHandler(Threads::uncaught).factory());
    }

    /**
     * Jetty's threads: its selector and acceptor loops on a few named platform threads ({@code loomlite-jetty-N}),
     * every request and WebSocket callback on its own virtual thread ({@code loomlite-request-N}).
     *
     * <p>Why not Javalin's default with virtual threads on: that runs Jetty's selector and acceptor loops as
     * virtual threads too, queued in the same scheduler as every request. Under a flood (2000 senders) a selector
     * that woke up waited behind hundreds of runnable requests, so reading any socket, {@code /health}'s
     * included, took seconds. On platform threads the OS schedules them beside the two carriers: the server
     * keeps reading, accepting and refusing the excess fast.
     */
    static QueuedThreadPool jetty() {
        return jetty("loomlite-jetty", "loomlite-request-");
    }

    /** {@link #jetty()} with other names: the internal API's server of a cluster node. */
    static QueuedThreadPool jetty(String name, String requestPrefix) {
        QueuedThreadPool pool = new QueuedThreadPool(JETTY_MAX_THREADS, JETTY_MIN_THREADS);
        pool.setName(name);
        pool.setDaemon(true);
        // Reserved threads let a selector hand its loop over to a spare platform thread (eat-what-you-kill); with
        // requests on virtual threads there is nothing for them to do but sit in memory.
        pool.setReservedThreads(0);
        // A plain executor, not an ExecutorService: nothing to close when the server stops (Jetty ends its tasks).
        ThreadFactory requests = Thread.ofVirtual().name(requestPrefix, 0).uncaughtExceptionHandler(Threads::uncaught)
                .factory();
        pool.setVirtualThreadsExecutor(task -> requests.newThread(task).start());
        return pool;
    }

    private static void uncaught(Thread thread, Throwable failure) {
        LOG.log(Level.ERROR, "uncaught failure on " + thread.getName(), failure);
    }
}
