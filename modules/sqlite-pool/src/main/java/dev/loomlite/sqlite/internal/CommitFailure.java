package dev.loomlite.sqlite.internal;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * What a failed {@code COMMIT} did to the group's writes, from SQLite's result code: it decides what the
 * writers' callers are told. Only on the failure path of a commit.
 */
enum CommitFailure {
    /**
     * A deferred foreign-key constraint is violated: SQLite refuses the COMMIT and keeps the transaction open;
     * nothing is on disk. One of the writes (or several) is to blame, not the group.
     */
    FOREIGN_KEY,
    /**
     * An I/O error or a full disk while the WAL was written and synced: the commit frame may or may not have
     * reached the disk (a failed fsync after a complete write, a failed write of the padding after it), so the
     * writes may or may not be committed. Never re-run: that could apply them twice.
     */
    OUTCOME_UNKNOWN,
    /** Anything else (the COMMIT could not start, the database is busy): nothing was committed. */
    NOT_COMMITTED;

    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CONSTRAINT = 19;

    static CommitFailure of(SQLException e) {
        // sqlite-jdbc reports the primary code as the error code (the extended one is in the SQLiteException and
        // the message); masking keeps this right should it switch to extended codes.
        int primary = e.getErrorCode() & 0xff;
        if (primary == SQLITE_IOERR || primary == SQLITE_FULL) {
            return OUTCOME_UNKNOWN;
        }
        if (primary == SQLITE_CONSTRAINT && foreignKey(e)) {
            return FOREIGN_KEY;
        }
        return NOT_COMMITTED;
    }

    private static boolean foreignKey(SQLException e) {
        if (e instanceof SQLiteException sqlite
                && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
            return true;
        }
        String message = e.getMessage();
        return message != null && message.contains("FOREIGN KEY constraint failed");
    }
}
