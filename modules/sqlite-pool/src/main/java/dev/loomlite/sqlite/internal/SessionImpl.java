package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@link Session} of one connection; confined to the connection's owning thread, like the connection. */
final class SessionImpl implements Session {
    private static final int SQLITE_INTERRUPT = 9;
    private final Conn conn;

    SessionImpl(Conn conn) {
        this.conn = conn;
    }

    Conn conn() {
        return conn;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        TransactionControl.refuse(sql);
        PreparedStatement ps = bind(sql, params);
        try (ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            conn.cache.discardIfFinalized(ps);
            throw e;
        } finally {
            done(ps);
        }
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        TransactionControl.refuse(sql);
        PreparedStatement ps = bind(sql, params);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            conn.cache.discardIfFinalized(ps);
            throw e;
        } finally {
            done(ps);
        }
    }

    @Override
    public int update(String sql, Object... params) throws SQLException {
        TransactionControl.refuse(sql);
        PreparedStatement ps = bind(sql, params);
        try {
            return ps.executeUpdate();
        } catch (SQLException e) {
            conn.cache.discardIfFinalized(ps);
            throw e;
        } finally {
            done(ps);
        }
    }

    /**
     * Sets {@code last_insert_rowid()} to {@link Conn#NO_ROWID} first, so that afterwards it names a row this
     * statement inserted or nothing: an upsert's DO UPDATE branch, an ignored conflict and an insert into a
     * WITHOUT ROWID table leave it untouched, and would otherwise return an earlier insert's rowid (in a group
     * commit, usually another caller's).
     */
    @Override
    public long insert(String sql, Object... params) throws SQLException {
        if (!conn.writer) {
            throw new SQLException("insert() needs the write connection (a read cannot insert): " + sql);
        }
        conn.markNoRowid();
        int changed = update(sql, params);
        long rowid = conn.queryLong("SELECT last_insert_rowid()");
        if (rowid == Conn.NO_ROWID) {
            throw new SQLException("no new rowid: the statement inserted no row into a rowid table (it changed "
                    + changed + " row(s): OR IGNORE or ON CONFLICT DO NOTHING skipped it, an upsert's DO UPDATE"
                    + " updated an existing row, or the table is WITHOUT ROWID), so insert() has no id to return;"
                    + " use update(), or writeQuery(... RETURNING ...): " + sql);
        }
        return rowid;
    }

    @Override
    public Connection connection() {
        return GuardedConnection.of(conn.raw);
    }

    @Override
    public String database() {
        return conn.db.name;
    }

    private PreparedStatement bind(String sql, Object[] params) throws SQLException {
        if (conn.writer && conn.interrupter.deadlinePassed()) {
            // Between statements of a write: stopping here rolls back its savepoint only (see GroupCommit.slack).
            throw new SQLException("deadline passed or cancelled before this statement: " + sql, null,
                    SQLITE_INTERRUPT);
        }
        StatementCache.Prepared prepared = conn.cache.prepare(sql);
        PreparedStatement ps = prepared.statement();
        try {
            bindAll(ps, prepared.parameters(), sql, params);
        } catch (SQLException e) {
            done(ps);
            throw e;
        }
        return ps;
    }

    /** Binds every parameter of a fresh statement. */
    static void bindAll(PreparedStatement ps, String sql, Object[] params) throws SQLException {
        bindAll(ps, ps.getParameterMetaData().getParameterCount(), sql, params);
    }

    /** Binds every parameter; a count mismatch fails instead of reusing a previous call's values. */
    static void bindAll(PreparedStatement ps, int expected, String sql, Object[] params) throws SQLException {
        if (expected != params.length) {
            throw new SQLException("statement expects " + expected + " parameters, got " + params.length + ": " + sql);
        }
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private void done(PreparedStatement ps) throws SQLException {
        if (!conn.cache.cached(ps)) {
            ps.close();
        }
    }
}
