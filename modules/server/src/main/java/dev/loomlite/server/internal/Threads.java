package dev.loomlite.server.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Every thread the server creates itself (Jetty's request threads are virtual and Javalin's): named, logged on failure. */
final class Threads {
    private static final System.Logger LOG = System.getLogger(Threads.class.getName());

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

    private static void uncaught(Thread thread, Throwable failure) {
        LOG.log(Level.ERROR, "uncaught failure on " + thread.getName(), failure);
    }
}
