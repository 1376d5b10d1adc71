package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct mode's cursor: its own read-only connection (so its snapshot never holds back other reads), mapped
 * page by page on the consumer's thread under the cursor's lock; close() may come from another thread. In
 * direct mode the holder of a connection's lock is its owner: the cleaner thread, which releases a cursor
 * dropped without close(), takes the same lock before it closes anything.
 */
final class DirectCursor<T> extends PagedCursor<T> {
    private final DbState db;
    private final Runner runner;
    private final int pageSize;
    private final long timeoutNanos;
    private final Resources<T> res;
    private final Cleaner.Cleanable cleanable;

    private DirectCursor(DbState db, Runner runner, Resources<T> res, int pageSize, long timeoutNanos) {
        this.db = db;
        this.runner = runner;
        this.res = res;
        this.pageSize = pageSize;
        this.timeoutNanos = timeoutNanos;
        this.cleanable = CursorLeaks.watch(this, res);
    }

    /** Takes a slot of the pool's open-cursor limit, opens a connection and the statement on the caller's thread. */
    static <T> DirectCursor<T> open(DbState db, PoolConfig config, Runner runner, CursorSlots slots, String sql,
                                    RowMapper<T> mapper, int pageSize, Object[] params, long timeoutNanos) {
        CursorSlots.Slot slot = slots.acquire(db);
        Conn conn;
        try {
            conn = Connections.openReader(db, config, runner);
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
        DirectCursor<T> cursor = new DirectCursor<>(db, runner, new Resources<>(db, conn, mapper, slot, sql), pageSize,
                timeoutNanos);
        Resources<T> res = cursor.res;
        res.lock.lock();
        try {
            res.statement = conn.raw.prepareStatement(sql);
            SessionImpl.bindAll(res.statement, sql, params);
            cursor.step(s -> {
                res.rows = res.statement.executeQuery();
                return null;
            }, sql);
        } catch (SQLException | RuntimeException e) {
            cursor.close();
            throw e instanceof RuntimeException re ? re : runner.translate(cursor.task(sql, null), e);
        } finally {
            res.lock.unlock();
        }
        return cursor;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> nextPage() {
        try {
            if (!res.lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw task("cursor page", null).timedOutQueued();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolException(db + ": interrupted while waiting for the cursor");
        }
        try {
            if (res.done) {
                return List.of();
            }
            return (List<T>) step(s -> {
                List<T> page = new ArrayList<>(Math.min(pageSize, 1024));
                while (page.size() < pageSize && res.rows.next()) {
                    page.add(res.mapper.map(res.rows));
                }
                if (page.size() < pageSize) {
                    res.release();
                }
                return page;
            }, "cursor page");
        } finally {
            res.lock.unlock();
            // The cleaner must not see this cursor unreachable while its consumer is still inside a call.
            Reference.reachabilityFence(this);
        }
    }

    /** Runs one step as a task (deadline, interrupt handler, metrics); releases the cursor if it fails. */
    private Object step(Work<?> work, String label) {
        Task t = task(label, work);
        t.start();
        runner.runRead(res.conn, t);
        if (t.failure != null) {
            res.release();
        }
        return t.outcome();
    }

    private Task task(String label, Work<?> work) {
        return new Task(db, db.read, label, work, timeoutNanos, Task.Mode.INLINE);
    }

    @Override
    public void close() {
        res.closing = true;
        cleanable.clean(); // runs the release here and now, once; the cleaner will not run it again
        Reference.reachabilityFence(this);
    }

    /**
     * What the cursor holds, apart from the cursor itself so that the cleaner can release it: run once, by
     * {@link #close()} or by the cleaner's thread when the cursor became unreachable; both under the lock.
     */
    private static final class Resources<T> implements Runnable {
        final ReentrantLock lock = new ReentrantLock();
        final DbState db;
        final Conn conn;
        final RowMapper<T> mapper;
        final CursorSlots.Slot slot;
        final String sql;
        // All below: the holder of the lock only.
        PreparedStatement statement;
        ResultSet rows;
        boolean done;
        // Written by close() before it runs this; false when the cleaner runs it: the cursor leaked.
        volatile boolean closing;

        Resources(DbState db, Conn conn, RowMapper<T> mapper, CursorSlots.Slot slot, String sql) {
            this.db = db;
            this.conn = conn;
            this.mapper = mapper;
            this.slot = slot;
            this.sql = sql;
        }

        @Override
        public void run() {
            lock.lock();
            try {
                boolean leaked = !closing && !done;
                release();
                if (leaked) {
                    CursorLeaks.report(db, sql);
                }
            } finally {
                lock.unlock();
            }
        }

        /** Closes the result set, statement and connection and frees the slot; idempotent; under the lock. */
        void release() {
            if (done) {
                return;
            }
            done = true;
            slot.release();
            CursorState.closeResults(rows, statement); // whatever it leaves, closing the connection releases
            conn.closeQuietly();
        }
    }
}
