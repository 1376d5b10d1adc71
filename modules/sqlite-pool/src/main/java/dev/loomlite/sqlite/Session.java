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

    /**
     * Runs a data-changing statement and returns the number of rows it changed. Transaction control
     * ({@code BEGIN}, {@code COMMIT}, {@code END}, {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}) is
     * refused here and in every method of a session with {@link IllegalArgumentException}: the transaction is
     * the pool's, shared with other callers' writes.
     */
    int update(String sql, Object... params) throws SQLException;

    /**
     * Runs an {@code INSERT} and returns the rowid of the row this statement inserted (the last one, for several
     * rows). When it inserted no row into a rowid table (an ignored conflict, an upsert whose
     * {@code ON CONFLICT ... DO UPDATE} branch ran, a {@code WITHOUT ROWID} table) it throws an
     * {@link SQLException} saying "no new rowid" instead of returning an earlier insert's rowid; the statement's
     * own changes stay in the work unless the exception ends the work. For upserts use
     * {@code RETURNING} through {@link #query}. A row inserted with the explicit rowid {@code -2^63} is reported
     * the same way.
     */
    long insert(String sql, Object... params) throws SQLException;

    /**
     * The connection, for what the methods above do not cover. Statements created on it must be closed by the
     * work. Transactions are managed by the pool: this connection refuses {@code commit}, {@code rollback},
     * {@code setAutoCommit} and savepoints ({@link SQLException}) and transaction-control SQL given to its
     * statements ({@link IllegalArgumentException}). It is a guard over the driver's connection, not the
     * driver's class: use {@code unwrap} for that (and then do not end the transaction either).
     */
    Connection connection();

    /** The database this session belongs to. */
    String database();
}
