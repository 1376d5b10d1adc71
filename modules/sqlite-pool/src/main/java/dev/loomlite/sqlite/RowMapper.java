package dev.loomlite.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a result set into a value. Runs on the pool's worker thread that owns the
 * connection, so the caller receives finished values and never touches a cursor.
 *
 * <pre>{@code
 * RowMapper<User> user = rs -> new User(rs.getLong("id"), rs.getString("name"));
 * }</pre>
 *
 * @param <T> the mapped type
 */
@FunctionalInterface
public interface RowMapper<T> {
    /** Maps the row the result set currently points at; must not move the cursor. */
    T map(ResultSet row) throws SQLException;
}
