package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.RowMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Direct mode's cursor: its own read-only connection (so its snapshot never holds back other reads), mapped
 * page by page on the consumer's thread under the cursor's lock; close() may come from another thread.
 */
final class DirectCursor<T> extends PagedCursor<T> {
    private final DbState db;
    private final Runner runner;
    private final RowMapper<T> mapper;
    private final int pageSize;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    // All below: the holder of the lock only.
    private final Conn conn;
    private PreparedStatement statement;
    private ResultSet rows;
    private boolean done;

    private DirectCursor(DbState db, Runner runner, Conn conn, RowMapper<T> mapper, int pageSize, long timeoutNanos) {
        this.db = db;
        this.runner = runner;
        this.conn = conn;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.timeoutNanos = timeoutNanos;
    }

    static <T> DirectCursor<T> open(DbState db, PoolConfig config, Runner runner, String sql, RowMapper<T> mapper,
                                    int pageSize, Object[] params, long timeoutNanos, BooleanSupplier closed) {
        Conn conn = Connections.openReader(db, config, closed);
        DirectCursor<T> cursor = new DirectCursor<>(db, runner, conn, mapper, pageSize, timeoutNanos);
        cursor.lock.lock();
        try {
            cursor.statement = conn.raw.prepareStatement(sql);
            SessionImpl.bindAll(cursor.statement, sql, params);
            cursor.step(s -> {
                cursor.rows = cursor.statement.executeQuery();
                return null;
            }, sql);
        } catch (SQLException | RuntimeException e) {
            cursor.release();
            throw e instanceof RuntimeException re ? re : runner.translate(cursor.task(sql, null), e);
        } finally {
            cursor.lock.unlock();
        }
        return cursor;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> nextPage() {
        try {
            if (!lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw task("cursor page", null).timedOutQueued();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.loomlite.sqlite.PoolException(db + ": interrupted while waiting for the cursor");
        }
        try {
            if (done) {
                return List.of();
            }
            return (List<T>) step(s -> {
                List<T> page = new ArrayList<>(Math.min(pageSize, 1024));
                while (page.size() < pageSize && rows.next()) {
                    page.add(mapper.map(rows));
                }
                if (page.size() < pageSize) {
                    release();
                }
                return page;
            }, "cursor page");
        } finally {
            lock.unlock();
        }
    }

    /** Runs one step as a task (deadline, interrupt handler, metrics); releases the cursor if it fails. */
    private Object step(dev.loomlite.sqlite.Work<?> work, String label) {
        Task t = task(label, work);
        t.start();
        runner.runRead(conn, t, true);
        if (t.failure != null) {
            release();
        }
        return t.outcome();
    }

    private Task task(String label, dev.loomlite.sqlite.Work<?> work) {
        return new Task(db, db.read, label, work, timeoutNanos, Task.Mode.INLINE);
    }

    private void release() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (rows != null) {
                rows.close();
            }
            if (statement != null) {
                statement.close();
            }
        } catch (SQLException ignored) {
            // Closing the connection below releases whatever is left.
        }
        conn.closeQuietly();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            release();
        } finally {
            lock.unlock();
        }
    }
}
