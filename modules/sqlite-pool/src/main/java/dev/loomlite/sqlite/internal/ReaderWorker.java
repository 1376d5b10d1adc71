package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A reader thread: serves the shared read queue over one read-only connection per database (opened lazily,
 * at most {@value #MAX_CONNECTIONS} kept open, least recently used closed first: many tenant files must not
 * mean readers x files connections), and its own inbox of cursor steps, alternating between them so a cursor
 * never monopolises it.
 */
final class ReaderWorker extends Worker {
    /** Shared reads taken before the inbox is looked at again. */
    private static final int BATCH = 16;
    static final int MAX_CONNECTIONS = 64;
    private static final int SPARE_CURSOR_CONNECTIONS = 4;

    // All fields below: this worker's thread only.
    private final Map<DbState, Conn> conns = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DbState, Conn> eldest) {
            if (size() <= MAX_CONNECTIONS) {
                return false;
            }
            eldest.getValue().closeQuietly(); // on this reader, its owner
            return true;
        }
    };
    private DbState lastDb;
    private Conn lastConn;
    private final ArrayDeque<Conn> spare = new ArrayDeque<>();
    final Set<CursorState<?>> cursors = new HashSet<>();

    ReaderWorker(String name, WorkerBackend backend) {
        super(name, backend);
    }

    @Override
    void loop() {
        while (true) {
            boolean busy = false;
            Task pinned = inbox.poll();
            if (pinned != null) {
                run(pinned, true);
                busy = true;
            }
            for (int i = 0; i < BATCH; i++) {
                Task t = backend.reads.poll();
                if (t == null) {
                    break;
                }
                run(t, false);
                busy = true;
            }
            if (busy) {
                wakeups.flush();
                continue;
            }
            int phase = backend.phase;
            if (phase >= WorkerBackend.DRAINING && (cursors.isEmpty() || phase >= WorkerBackend.FORCED)
                    && !hasWork()) {
                releaseConnections();
                backend.readersExited.countDown();
                return;
            }
            idle(phase >= WorkerBackend.DRAINING ? millis(10) : millis(1000));
        }
    }

    private void run(Task t, boolean pinned) {
        if (!t.start()) {
            return;
        }
        inflight.add(t);
        wakeups.flushIfOld(t.startedNanos, t.lane.depth() >= Wakeups.DEEP);
        Runner runner = backend.runner;
        if (backend.forced()) {
            runner.finish(t, null, backend.abandoned(t));
        } else if (t.expired(t.startedNanos)) {
            runner.finish(t, null, t.timedOutQueued());
        } else if (pinned) {
            runner.runRead(null, t);
        } else {
            Conn conn = null;
            try {
                conn = conn(t.db);
            } catch (PoolException e) {
                runner.finish(t, null, e);
            }
            if (conn != null) {
                runner.runRead(conn, t);
                if (conn.broken()) {
                    throw new WorkerDeath(t.db + ": read connection broke during " + t.label);
                }
            }
        }
        inflight.clear();
    }

    @Override
    boolean hasWork() {
        return !inbox.isEmpty() || !backend.reads.isEmpty();
    }

    /** The task this reader is running now; for cursor steps, which install their own interrupter. */
    Task currentTask() {
        return inflight.getFirst();
    }

    private Conn conn(DbState db) {
        if (db == lastDb && !lastConn.broken()) {
            return lastConn;
        }
        if (lastDb != null) {
            conns.get(lastDb); // the fast path skipped its LRU touches
        }
        Conn c = conns.get(db);
        if (c == null) {
            c = Connections.openReader(db, backend.config, backend.runner);
            conns.put(db, c);
        }
        lastDb = db;
        lastConn = c;
        return c;
    }

    /** A connection for one cursor: a cursor's snapshot must not hold back the point reads' connection. */
    Conn takeCursorConn(DbState db) {
        for (Iterator<Conn> it = spare.iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (c.db == db) {
                it.remove();
                return c;
            }
        }
        return Connections.openReader(db, backend.config, backend.runner);
    }

    void returnCursorConn(Conn c) {
        if (c.broken()) {
            c.closeQuietly();
            return;
        }
        if (spare.size() >= SPARE_CURSOR_CONNECTIONS) {
            spare.pollLast().closeQuietly();
        }
        spare.push(c);
    }

    @Override
    void releaseConnections() {
        for (CursorState<?> cursor : new ArrayList<>(cursors)) {
            cursor.release();
        }
        cursors.clear();
        conns.values().forEach(Conn::closeQuietly);
        conns.clear();
        lastDb = null;
        lastConn = null;
        spare.forEach(Conn::closeQuietly);
        spare.clear();
    }
}
