package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.RowMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The consumer half of a worker-mode cursor. Each page is a task pinned to the reader that owns the
 * statement, so other reads interleave with it and a slow consumer holds no thread. While the consumer works
 * on page n, page n+1 is being mapped: never more than one page ahead.
 */
final class WorkerCursor<T> extends PagedCursor<T> {
    private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.HOURS.toNanos(1);

    private final WorkerBackend backend;
    private final DbState db;
    private final CursorState<T> state;
    private final ReaderWorker owner;
    private final int pageSize;
    private final long timeoutNanos;
    // Consumer thread only.
    private List<T> first;
    private boolean exhausted;
    // Written by the consumer; read by close() from any thread.
    private volatile Task next;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WorkerCursor(WorkerBackend backend, DbState db, CursorState.Opened<T> opened, int pageSize,
                         long timeoutNanos) {
        this.backend = backend;
        this.db = db;
        this.state = opened.state();
        this.owner = opened.owner();
        this.first = opened.firstPage();
        this.pageSize = pageSize;
        this.timeoutNanos = timeoutNanos;
    }

    @SuppressWarnings("unchecked")
    static <T> WorkerCursor<T> open(WorkerBackend backend, DbState db, String sql, RowMapper<T> mapper,
                                    int pageSize, Object[] params, long timeoutNanos) {
        Task open = backend.submit(db, PoolMetrics.Kind.READ, sql,
                s -> CursorState.open(db, sql, mapper, pageSize, params), timeoutNanos, Task.Mode.PARK);
        CursorState.Opened<T> opened = (CursorState.Opened<T>) open.await();
        WorkerCursor<T> cursor = new WorkerCursor<>(backend, db, opened, pageSize, timeoutNanos);
        if (opened.firstPage().size() == pageSize) {
            cursor.prefetch();
        }
        return cursor;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> nextPage() {
        if (closed.get()) {
            throw new IllegalStateException(db + ": cursor is closed");
        }
        if (first != null) {
            List<T> page = first;
            first = null;
            exhausted = page.size() < pageSize;
            return page;
        }
        Task pending = next;
        if (exhausted || pending == null) {
            exhausted = true;
            close();
            return List.of();
        }
        next = null;
        pending.deadlineNanos = Math.max(pending.deadlineNanos, System.nanoTime() + timeoutNanos);
        List<T> page;
        try {
            page = (List<T>) pending.await();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (page.size() == pageSize) {
            prefetch();
        } else {
            exhausted = true;
        }
        return page;
    }

    private void prefetch() {
        Task page = new Task(db, db.read, "cursor page", s -> state.page(), timeoutNanos, Task.Mode.PARK);
        next = page;
        try {
            backend.pin(owner, page);
        } catch (PoolClosedException e) {
            next = null;
            throw e;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        first = null;
        Task pending = next;
        if (pending != null) {
            pending.cancel();
        }
        Task release = new Task(db, db.read, "cursor close", s -> {
            state.release();
            return null;
        }, CLOSE_TIMEOUT_NANOS, Task.Mode.INLINE);
        try {
            backend.pin(owner, release);
        } catch (PoolClosedException alreadyReleased) {
            // The reader released every cursor when it stopped.
        }
    }
}
