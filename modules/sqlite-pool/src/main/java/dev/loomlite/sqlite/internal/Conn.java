package dev.loomlite.sqlite.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConnection;

/**
 * One SQLite connection with its statement cache, session and progress handler. Confined to one thread for
 * its whole life: a worker thread, or in direct mode whichever caller holds the connection's lock.
 */
final class Conn {
    /**
     * What {@code last_insert_rowid()} is set to before an {@code insert()}: the one rowid no insert() can
     * report (an explicit {@code rowid = -2^63} would be refused as "no new rowid").
     */
    static final long NO_ROWID = Long.MIN_VALUE;
    /**
     * A temporary table of the write connection whose only use is {@link #markNoRowid()}. Created on first use
     * and again whenever it is gone: a rolled-back transaction or a change of {@code temp_store} (migrations)
     * drops it.
     */
    private static final String NO_ROWID_TABLE = "CREATE TEMP TABLE IF NOT EXISTS loomlite_no_rowid(x)";
    private static final String MARK_NO_ROWID = "INSERT OR REPLACE INTO temp.loomlite_no_rowid(rowid) VALUES (?)";
    final DbState db;
    final SQLiteConnection raw;
    final StatementCache cache;
    final SessionImpl session;
    final Interrupter interrupter;
    final boolean writer;
    // Owning thread only: a moving average (1/8 weight per sample) of how long a successful write task ran on
    // this connection, 0 until the first; the group commit refuses to start a write closer to its deadline.
    long writeRunNanos;

    Conn(DbState db, SQLiteConnection raw, int statementCacheSize, Interrupter interrupter, boolean writer) {
        this.db = db;
        this.raw = raw;
        this.cache = new StatementCache(raw, statementCacheSize);
        this.session = new SessionImpl(this);
        this.interrupter = interrupter;
        this.writer = writer;
    }

    /** Runs a statement that returns no rows (BEGIN, SAVEPOINT, COMMIT, PRAGMA x=y). */
    void exec(String sql) throws SQLException {
        runCached(cache.prepare(sql).statement(), PreparedStatement::execute);
    }

    /** What to do with a statement from the cache. */
    private interface StatementRun {
        void run(PreparedStatement ps) throws SQLException;
    }

    /** Runs {@code body} on {@code ps}; drops it from the cache if a failure finalized it, closes it if uncached. */
    private void runCached(PreparedStatement ps, StatementRun body) throws SQLException {
        try {
            body.run(ps);
        } catch (SQLException e) {
            cache.discardIfFinalized(ps);
            throw e;
        } finally {
            if (!cache.cached(ps)) {
                ps.close();
            }
        }
    }

    /** Runs an uncached statement (transaction control used once, PRAGMA wal_checkpoint). */
    void execOnce(String sql) throws SQLException {
        try (Statement st = raw.createStatement()) {
            st.execute(sql);
        }
    }

    void recordWriteRun(long nanos) {
        writeRunNanos = writeRunNanos == 0 ? nanos : writeRunNanos + (nanos - writeRunNanos) / 8;
    }

    /** Rows changed by completed statements on this connection since it opened (a native call, no statement). */
    long totalChanges() {
        try {
            return raw.getDatabase().total_changes();
        } catch (SQLException e) {
            return -1; // a broken connection: the caller's transaction check fails on its own
        }
    }

    /**
     * Sets {@code last_insert_rowid()} to {@link #NO_ROWID} (SQLite has no SQL for it: an insert into a
     * temporary table of one row does it, inside the current transaction, in memory). Write connection only.
     */
    void markNoRowid() throws SQLException {
        try {
            markNoRowidOnce();
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("no such table")) {
                throw e;
            }
            execOnce(NO_ROWID_TABLE);
            markNoRowidOnce();
        }
    }

    private void markNoRowidOnce() throws SQLException {
        runCached(cache.prepare(MARK_NO_ROWID).statement(), ps -> {
            ps.setLong(1, NO_ROWID);
            ps.executeUpdate();
        });
    }

    long queryLong(String sql) throws SQLException {
        PreparedStatement ps = cache.prepare(sql).statement();
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            cache.discardIfFinalized(ps);
            throw e;
        } finally {
            if (!cache.cached(ps)) {
                ps.close();
            }
        }
    }

    /** The first column of the first row as text (uncached: used once per connection), or "" with no row. */
    String queryText(String sql) throws SQLException {
        try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? String.valueOf(rs.getString(1)) : "";
        }
    }

    boolean broken() {
        try {
            return raw.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Rolls back whatever is open; false when the connection is unusable. Never throws. */
    boolean rollbackQuietly() {
        try {
            if (raw.isClosed()) {
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
        try {
            execOnce("ROLLBACK");
        } catch (SQLException | RuntimeException noTransaction) {
            // "cannot rollback - no transaction is active": nothing was open.
        }
        return !broken();
    }

    /** Closes the statements, then the connection; never throws. Call on the owning thread. */
    void closeQuietly() {
        cache.closeAll();
        try {
            raw.close();
        } catch (SQLException | RuntimeException ignored) {
            // Already broken: nothing more to release.
        }
    }
}
