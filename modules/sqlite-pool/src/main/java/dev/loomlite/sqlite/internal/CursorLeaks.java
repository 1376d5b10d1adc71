package dev.loomlite.sqlite.internal;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;

/**
 * The safety net for cursors that become unreachable without {@code close()}: each cursor registers a release
 * action here, which the {@code sqlite-cursor-cleaner} thread runs once the cursor is unreachable (and which
 * {@code close()} runs at once, on the closing thread, instead). The action never touches a connection on the
 * cleaner thread in worker mode: it hands the release to the reader that owns the statement. In direct mode it
 * takes the cursor's lock, which is what makes a thread the connection's owner there.
 */
final class CursorLeaks {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");
    /** One daemon platform thread for the JVM, started when the first cursor opens; idle unless a cursor leaks. */
    private static final Cleaner CLEANER = Cleaner.create(task -> Threads.unstarted(task, "sqlite-cursor-cleaner"));

    private CursorLeaks() {
    }

    /** Runs {@code release} once: on {@link Cleaner.Cleanable#clean()}, or when {@code cursor} is unreachable. */
    static Cleaner.Cleanable watch(Object cursor, Runnable release) {
        return CLEANER.register(cursor, release);
    }

    /** Logs a cursor that was released because it became unreachable while it still held its snapshot. */
    static void report(DbState db, String sql) {
        LOG.log(Level.WARNING, db + ": a cursor leaked: it became unreachable without close() while it still held"
                + " its snapshot and read connection; released them on " + Thread.currentThread().getName()
                + ". Close cursors (try-with-resources) or read them to the end. Statement: " + sql);
    }
}
