package dev.loomlite.sqlite;

import java.sql.SQLException;

/**
 * SQLite refused a statement or a work unit threw: the SQL error, the database and the SQLite result code.
 * A failing write rolled back only its own savepoint; the other writes of its group are unaffected.
 *
 * <pre>{@code
 * catch (SqlFailureException e) { if (e.isConstraintViolation()) { return conflict(); } }
 * }</pre>
 */
public final class SqlFailureException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final String database;

    public SqlFailureException(String database, String message, Throwable cause) {
        super("database '" + database + "': " + message, cause);
        this.database = database;
    }

    /** The database the statement ran on. */
    public String database() {
        return database;
    }

    /** The SQLite (extended) result code when the cause was an {@link SQLException}, else -1. */
    public int resultCode() {
        return getCause() instanceof SQLException sql ? sql.getErrorCode() : -1;
    }

    /** Whether SQLite rejected the statement for a UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint. */
    public boolean isConstraintViolation() {
        // SQLITE_CONSTRAINT is 19; extended codes keep it in the low byte.
        return (resultCode() & 0xff) == 19;
    }
}
