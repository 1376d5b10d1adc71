package dev.loomlite.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A connection lent to one {@link Work} on its owning worker thread. Statements run through the
 * connection's prepared-statement cache; parameters are always bound, never concatenated.
 * Do not keep a session, its connection or anything read from it beyond the work's return.
 *
 * <pre>{@code
 * List<String> names = db.read(s -> s.query("SELECT name FROM user ORDER BY id", rs -> rs.getString(1)));
 * }</pre>
 */
public interface Session {
    /** Runs a statement and maps every row it returns. */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) throws SQLException;

    /** Runs a statement and maps its first row, if any. */
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) throws SQLException;

    /** Runs a data-changing statement and returns the number of rows it changed. */
    int update(String sql, Object... params) throws SQLException;

    /** Runs an {@code INSERT} and returns the rowid of the row it inserted ({@code last_insert_rowid()}). */
    long insert(String sql, Object... params) throws SQLException;

    /**
     * The raw connection, for what the methods above do not cover. Statements created on it must be closed
     * by the work; transactions are managed by the pool (do not call commit, rollback or setAutoCommit).
     */
    Connection connection();

    /** The database this session belongs to. */
    String database();
}
