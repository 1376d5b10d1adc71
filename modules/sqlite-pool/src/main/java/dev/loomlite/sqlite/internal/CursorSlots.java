package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolSaturatedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool-wide bound on open cursors ({@code maxOpenCursors}): a cursor takes a {@link Slot} before it opens
 * anything and gives it back when its statement and connection are released (exhausted, closed, failed, found
 * leaked by the cleaner, or dropped by a dying or stopping reader). Not on the point-read path: one CAS per cursor.
 */
final class CursorSlots {
    private final int limit;
    // Incremented by the threads opening cursors; decremented by whichever thread releases one.
    private final AtomicInteger open = new AtomicInteger();

    CursorSlots(int limit) {
        this.limit = limit;
    }

    /** Takes a slot or fails at once, naming the database, the number open and the limit. Any thread. */
    Slot acquire(DbState db) {
        while (true) {
            int n = open.get();
            if (n >= limit) {
                db.read.stats.rejected.increment();
                throw PoolSaturatedException.cursors(db.name, n, limit);
            }
            if (open.compareAndSet(n, n + 1)) {
                return new Slot(this);
            }
        }
    }

    /**
     * One cursor's slot. Released exactly once, by whichever path frees the cursor first (the reader that owns
     * it, the consumer whose open failed, the cleaner): the others find it released and do nothing.
     */
    static final class Slot {
        private final CursorSlots slots;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(CursorSlots slots) {
            this.slots = slots;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                slots.open.decrementAndGet();
            }
        }
    }
}
