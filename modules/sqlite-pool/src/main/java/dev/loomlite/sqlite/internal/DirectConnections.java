package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolMetrics;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct mode's connections of one database, each behind a fair lock: whoever holds the lock owns the
 * connection for that call. Slot {@link #WRITER} is the write connection; slots 0..n-1 the read connections.
 */
final class DirectConnections {
    static final int WRITER = -1;

    final DbState db;
    private final PoolConfig config;
    private final Runner runner;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ReentrantLock[] readLocks;
    // Each connection: written and read only by the holder of its lock.
    private Conn writer;
    private final Conn[] readers;
    // Each flag: written and read only by the holder of its slot's lock. Set when close() has closed the slot's
    // connection: a caller that takes the lock afterwards fails instead of opening a new one.
    private boolean writerClosed;
    private final boolean[] readerClosed;
    // Written by close() (closeAll) once its grace is over; read by lock holders in conn() and unlock(): from
    // then on no connection is opened or used, and a holder close() could not wait for closes its own.
    private volatile boolean graceOver;
    // Any caller: round-robin start for read slots.
    private final AtomicInteger next = new AtomicInteger();

    DirectConnections(DbState db, PoolConfig config, Runner runner) {
        this.db = db;
        this.config = config;
        this.runner = runner;
        this.readLocks = new ReentrantLock[config.readers()];
        this.readers = new Conn[config.readers()];
        this.readerClosed = new boolean[config.readers()];
        for (int i = 0; i < readLocks.length; i++) {
            readLocks[i] = new ReentrantLock(true);
        }
    }

    /** Opens and migrates the write connection on the calling thread. */
    void openWriter() {
        writeLock.lock();
        try {
            Conn conn = Connections.openWriter(db, config, runner);
            try {
                Migrator.migrate(conn, db);
            } catch (RuntimeException | Error e) {
                conn.closeQuietly();
                throw e;
            }
            writer = conn;
        } finally {
            writeLock.unlock();
        }
    }

    /** Locks a connection for {@code t} within its deadline and returns its slot. */
    int lock(PoolMetrics.Kind kind, Task t) {
        try {
            if (kind == PoolMetrics.Kind.WRITE) {
                if (writeLock.tryLock(t.deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    return WRITER;
                }
            } else {
                int start = Math.floorMod(next.getAndIncrement(), readLocks.length);
                for (int i = 0; i < readLocks.length; i++) {
                    int slot = (start + i) % readLocks.length;
                    if (readLocks[slot].tryLock()) {
                        return slot;
                    }
                }
                if (readLocks[start].tryLock(t.deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    return start;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.lane.stats.failed.increment();
            throw new PoolException(db + ": caller interrupted while waiting for a " + t.lane.laneName()
                    + " connection; nothing ran");
        }
        t.lane.stats.timedOut.increment();
        throw t.timedOutQueued();
    }

    /**
     * Unlocks a slot. A holder that close() could not wait for (it ran past the shutdown grace) closes its
     * connection itself first: it owns it, and nobody else will.
     */
    void unlock(int slot) {
        if (graceOver && !slotClosed(slot)) {
            closeSlot(slot);
        }
        (slot == WRITER ? writeLock : readLocks[slot]).unlock();
    }

    /**
     * The slot's connection, opened if needed; the caller holds the slot's lock. Fails with
     * {@link PoolClosedException} once close() has closed the slot: nothing reopens a connection after that.
     */
    Conn conn(int slot) {
        if (graceOver || slotClosed(slot)) {
            throw new PoolClosedException(db + ": pool closed while this call waited for its "
                    + (slot == WRITER ? "write" : "read") + " connection; nothing ran");
        }
        if (slot == WRITER) {
            if (writer == null) {
                writer = Connections.openWriter(db, config, runner);
            }
            return writer;
        }
        if (readers[slot] == null) {
            readers[slot] = Connections.openReader(db, config, runner);
        }
        return readers[slot];
    }

    private boolean slotClosed(int slot) {
        return slot == WRITER ? writerClosed : readerClosed[slot];
    }

    /** Closes and forgets a broken connection; the next call opens a new one. The caller holds the lock. */
    void discard(int slot) {
        Conn conn = slot == WRITER ? writer : readers[slot];
        if (conn != null) {
            conn.closeQuietly();
        }
        if (slot == WRITER) {
            writer = null;
        } else {
            readers[slot] = null;
        }
    }

    /**
     * Closes every connection whose lock frees up before {@code graceEnd}, and marks its slot closed so that no
     * later lock holder reopens it. Then the grace is over: a holder still running closes its connection when
     * it unlocks (and one freed just now is closed here). Returns how many were left to their holders.
     */
    int closeAll(long graceEnd) {
        int left = 0;
        for (int slot = 0; slot < readers.length; slot++) {
            left += closeWhenFree(readLocks[slot], slot, graceEnd) ? 0 : 1;
        }
        left += closeWhenFree(writeLock, WRITER, graceEnd) ? 0 : 1;
        if (left == 0) {
            return 0;
        }
        graceOver = true;
        left = 0;
        for (int slot = 0; slot < readers.length; slot++) {
            left += closeIfLocked(readLocks[slot].tryLock(), readLocks[slot], slot) ? 0 : 1;
        }
        left += closeIfLocked(writeLock.tryLock(), writeLock, WRITER) ? 0 : 1;
        return left;
    }

    /** Closes the slot if its lock frees up by {@code deadline}. */
    private boolean closeWhenFree(ReentrantLock lock, int slot, long deadline) {
        return closeIfLocked(tryLock(lock, deadline), lock, slot);
    }

    /** Closes the slot (unless closed already) and unlocks when {@code locked}; returns {@code locked}. */
    private boolean closeIfLocked(boolean locked, ReentrantLock lock, int slot) {
        if (!locked) {
            return false;
        }
        try {
            if (!slotClosed(slot)) {
                closeSlot(slot);
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** Closes a slot's connection for good (the writer rolled back, optimized, checkpointed). Lock held. */
    private void closeSlot(int slot) {
        if (slot == WRITER) {
            writerClosed = true;
            if (writer != null) {
                writer.rollbackQuietly();
                try {
                    writer.execOnce("PRAGMA optimize");
                    runner.checkpoint(writer, "TRUNCATE");
                } catch (SQLException e) {
                    DirectBackend.logClose(db, e);
                }
            }
        } else {
            readerClosed[slot] = true;
        }
        discard(slot);
    }

    private static boolean tryLock(ReentrantLock lock, long deadline) {
        try {
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
