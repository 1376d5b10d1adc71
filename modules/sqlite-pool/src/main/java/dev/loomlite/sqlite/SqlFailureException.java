package dev.loomlite.sqlite;

import java.sql.SQLException;

/**
 * SQLite refused a statement or a work unit threw: the SQL error, the database and the SQLite result code.
 * A failing write rolled back only its own savepoint; the other writes of its group are unaffected. A write
 * whose deferred foreign keys are violated fails the same way, alone, although SQLite finds it only at
 * {@code COMMIT}.
 *
 * <p>One case is not a plain failure: when the group's {@code COMMIT} itself fails with an I/O error or a full
 * disk ({@link #resultCode()} {@code SQLITE_IOERR} or {@code SQLITE_FULL}), the message says the write "may or
 * may not be committed", since the commit record may have reached the disk, and {@link #outcomeUnknown()} is
 * true: read back before retrying.
 *
 * <pre>{@code
 * catch (SqlFailureException e) { if (e.isConstraintViolation()) { return conflict(); } }
 * }</pre>
 */
public final class SqlFailureException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final String database;

    public SqlFailureException(String database, String message, Throwable cause) {
        this(database, message, cause, false);
    }

    /** @param outcomeUnknown true when the group's {@code COMMIT} failed in a way that may have committed it */
    public SqlFailureException(String database, String message, Throwable cause, boolean outcomeUnknown) {
        super("database '" + database + "': " + message, cause, outcomeUnknown);
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
