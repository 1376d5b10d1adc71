package dev.loomlite.sqlite;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A large result read page by page: the reader thread maps at most one page ahead of the consumer, so memory
 * is bounded by the page size whatever the size of the result. The read holds one snapshot (one read
 * transaction) until the cursor is exhausted or closed: close it promptly, since an open snapshot keeps the
 * WAL from being checkpointed. A pool has at most {@link PoolConfig#maxOpenCursors()} cursors open at once
 * (exhausted and closed ones do not count); a cursor that becomes unreachable without being closed or
 * exhausted is released eventually, after a garbage collection, and logged as a leak ({@code WARNING} on the
 * {@code dev.loomlite.sqlite} logger): a safety net, not a way to close cursors.
 *
 * <pre>{@code
 * try (Cursor<Long> ids = db.cursor("SELECT id FROM message ORDER BY id", rs -> rs.getLong(1), 500)) {
 *     for (List<Long> page = ids.nextPage(); !page.isEmpty(); page = ids.nextPage()) {
 *         process(page);
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safety: one consumer thread at a time; {@link #close()} may be called from any thread.
 *
 * @param <T> the mapped row type
 */
public interface Cursor<T> extends Iterable<T>, AutoCloseable {
    /**
     * Blocks until the next page is mapped (subject to the call's deadline) and returns it; an empty list
     * means the result is exhausted.
     */
    List<T> nextPage();

    /** Iterates row by row, fetching pages as needed. */
    @Override
    Iterator<T> iterator();

    /** A sequential stream over the remaining rows; closing the stream closes the cursor. */
    Stream<T> stream();

    /** Releases the statement and the snapshot on the reader thread. Idempotent. */
    @Override
    void close();
}
