package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolMetrics;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Direct mode's connections of one database, each behind a fair lock: whoever holds the lock owns the
 * connection for that call. Slot {@link #WRITER} is the write connection; slots 0..n-1 the read connections.
 */
final class DirectConnections {
    static final int WRITER = -1;

    final DbState db;
    private final PoolConfig config;
    private final BooleanSupplier closed;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ReentrantLock[] readLocks;
    // Each connection: written and read only by the holder of its lock.
    private Conn writer;
    private final Conn[] readers;
    // Any caller: round-robin start for read slots.
    private final AtomicInteger next = new AtomicInteger();

    DirectConnections(DbState db, PoolConfig config, BooleanSupplier closed) {
        this.db = db;
        this.config = config;
        this.closed = closed;
        this.readLocks = new ReentrantLock[config.readers()];
        this.readers = new Conn[config.readers()];
        for (int i = 0; i < readLocks.length; i++) {
            readLocks[i] = new ReentrantLock(true);
        }
    }

    /** Opens and migrates the write connection on the calling thread. */
    void openWriter() {
        writeLock.lock();
        try {
            Conn conn = Connections.openWriter(db, config, closed);
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

    void unlock(int slot) {
        (slot == WRITER ? writeLock : readLocks[slot]).unlock();
    }

    /** The slot's connection, opened if needed; the caller holds the slot's lock. */
    Conn conn(int slot) {
        if (slot == WRITER) {
            if (writer == null) {
                writer = Connections.openWriter(db, config, closed);
            }
            return writer;
        }
        if (readers[slot] == null) {
            readers[slot] = Connections.openReader(db, config, closed);
        }
        return readers[slot];
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

    /** Closes every connection whose lock frees up before {@code graceEnd}; returns how many were left open. */
    int closeAll(long graceEnd, Runner runner) {
        int left = 0;
        for (int slot = 0; slot < readers.length; slot++) {
            if (tryLock(readLocks[slot], graceEnd)) {
                discard(slot);
                readLocks[slot].unlock();
            } else {
                left++;
            }
        }
        if (tryLock(writeLock, graceEnd)) {
            if (writer != null) {
                writer.rollbackQuietly();
                try {
                    writer.execOnce("PRAGMA optimize");
                    runner.checkpoint(writer, "TRUNCATE");
                } catch (SQLException e) {
                    DirectBackend.logClose(db, e);
                }
                discard(WRITER);
            }
            writeLock.unlock();
        } else {
            left++;
        }
        return left;
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
