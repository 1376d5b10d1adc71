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
    private final Conn conn;

    SessionImpl(Conn conn) {
        this.conn = conn;
    }

    Conn conn() {
        return conn;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException {
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

    @Override
    public long insert(String sql, Object... params) throws SQLException {
        if (update(sql, params) == 0) {
            // last_insert_rowid() would be an earlier insert's row (perhaps another caller's in this group).
            throw new SQLException("the INSERT inserted no row (OR IGNORE or ON CONFLICT DO NOTHING?), so there is"
                    + " no rowid to return: use update() or writeQuery(... RETURNING id)");
        }
        return conn.queryLong("SELECT last_insert_rowid()");
    }

    @Override
    public Connection connection() {
        return conn.raw;
    }

    @Override
    public String database() {
        return conn.db.name;
    }

    private PreparedStatement bind(String sql, Object[] params) throws SQLException {
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
