package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.RowMapper;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The consumer half of a worker-mode cursor. Each page is a task pinned to the reader that owns the
 * statement, so other reads interleave with it and a slow consumer holds no thread. While the consumer works
 * on page n, page n+1 is being mapped: never more than one page ahead. A cursor dropped without
 * {@link #close()} is released by {@link CursorLeaks}' cleaner, through the same task on the owning reader.
 */
final class WorkerCursor<T> extends PagedCursor<T> {
    private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.HOURS.toNanos(1);

    private final WorkerBackend backend;
    private final DbState db;
    private final CursorState<T> state;
    private final ReaderWorker owner;
    private final int pageSize;
    private final long timeoutNanos;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    // Consumer thread only.
    private List<T> first;
    private boolean exhausted;
    // Written by the consumer; read by close() from any thread.
    private volatile Task next;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WorkerCursor(WorkerBackend backend, DbState db, String sql, CursorSlots.Slot slot,
                         CursorState.Opened<T> opened, int pageSize, long timeoutNanos) {
        this.backend = backend;
        this.db = db;
        this.state = opened.state();
        this.owner = opened.owner();
        this.first = opened.firstPage();
        this.pageSize = pageSize;
        this.timeoutNanos = timeoutNanos;
        this.release = new Release(backend, db, state, owner, slot, sql);
        // A short first page means the reader already released everything: nothing is left to leak.
        release.exhausted = first.size() < pageSize;
        this.cleanable = CursorLeaks.watch(this, release);
    }

    /** Takes a slot of the pool's open-cursor limit, opens the statement on a reader and maps the first page. */
    @SuppressWarnings("unchecked")
    static <T> WorkerCursor<T> open(WorkerBackend backend, DbState db, String sql, RowMapper<T> mapper,
                                    int pageSize, Object[] params, long timeoutNanos) {
        CursorSlots.Slot slot = backend.cursorSlots.acquire(db);
        CursorState.Opened<T> opened;
        try {
            Task open = backend.submitRead(db, sql, s -> CursorState.open(db, sql, mapper, pageSize, params, slot),
                    timeoutNanos, Task.Mode.PARK);
            opened = (CursorState.Opened<T>) open.await();
        } catch (RuntimeException e) {
            // Never opened, or opened and released again by the reader when it failed: either way the slot is free.
            slot.release();
            throw e;
        }
        WorkerCursor<T> cursor = new WorkerCursor<>(backend, db, sql, slot, opened, pageSize, timeoutNanos);
        if (opened.firstPage().size() == pageSize) {
            try {
                cursor.prefetch();
            } catch (PoolClosedException e) {
                cursor.close();
                throw e;
            }
        }
        return cursor;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> nextPage() {
        try {
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
                release.exhausted = true; // the reader released the statement when it mapped this short page
            }
            return page;
        } finally {
            // The cleaner must not see this cursor unreachable while its consumer is still inside a call.
            Reference.reachabilityFence(this);
        }
    }

    private void prefetch() {
        CursorState<T> reader = state; // the task must not reference this cursor, or it could never be found leaked
        Task page = new Task(db, db.read, "cursor page", s -> reader.page(), timeoutNanos, Task.Mode.PARK);
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
        release.closing = true;
        cleanable.clean(); // runs the release here and now, once; the cleaner will not run it again
        Reference.reachabilityFence(this);
    }

    /**
     * Frees the reader-side state with a task pinned to the reader that owns it: run once, by {@link #close()} on
     * the closing thread or by the cleaner's thread when the cursor became unreachable. Holds no reference to
     * the cursor (that would keep it reachable for ever).
     */
    private static final class Release implements Runnable {
        private final WorkerBackend backend;
        private final DbState db;
        private final CursorState<?> state;
        private final ReaderWorker owner;
        private final CursorSlots.Slot slot;
        private final String sql;
        // Written by the consumer once it has seen the last (short) page; read by whichever thread runs this.
        volatile boolean exhausted;
        // Written by close() before it runs this; false when the cleaner runs it: the cursor leaked.
        volatile boolean closing;

        Release(WorkerBackend backend, DbState db, CursorState<?> state, ReaderWorker owner, CursorSlots.Slot slot,
                String sql) {
            this.backend = backend;
            this.db = db;
            this.state = state;
            this.owner = owner;
            this.slot = slot;
            this.sql = sql;
        }

        @Override
        public void run() {
            if (exhausted) {
                return;
            }
            // The cursor is done for its user now: a close-then-open must find its place under the limit free, not
            // wait for the reader to get to the release task (which frees it again, idempotently).
            slot.release();
            boolean leaked = !closing;
            Task release = new Task(db, db.read, leaked ? "cursor leaked" : "cursor close", s -> {
                if (leaked) {
                    state.releaseLeaked(sql);
                } else {
                    state.release();
                }
                return null;
            }, CLOSE_TIMEOUT_NANOS, Task.Mode.INLINE);
            try {
                backend.pin(owner, release);
            } catch (PoolClosedException alreadyReleased) {
                // The reader released every cursor when it stopped.
            }
        }
    }
}
