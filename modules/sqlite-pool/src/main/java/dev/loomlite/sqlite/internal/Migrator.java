package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.PoolException;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/** Applies pending migrations in one transaction on the write connection's owning thread. */
final class Migrator {
    private static final System.Logger LOG = System.getLogger("dev.loomlite.sqlite");

    private Migrator() {
    }

    static void migrate(Conn conn, DbState db) {
        if (db.migrations.isEmpty()) {
            return;
        }
        long current;
        try {
            current = conn.queryLong("PRAGMA user_version");
        } catch (SQLException e) {
            throw new PoolException(db + ": cannot read PRAGMA user_version: " + e.getMessage(), e);
        }
        List<Migration> pending = db.migrations.stream()
                .filter(m -> m.version() > current)
                .sorted(Comparator.comparingInt(Migration::version))
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        Migration step = pending.getFirst();
        LOG.log(Level.INFO, db + ": applying " + pending.size() + " migration(s) from user_version " + current
                + " (an index built over a large table takes a while)");
        // Sorts for CREATE INDEX spill to temporary files only when temp_store is FILE; with the connection's
        // MEMORY setting an index over tens of millions of rows would be sorted in native memory (~100 bytes a
        // row). It cannot change inside a transaction, so it is switched around the migration's.
        setTempStore(conn, db, "FILE");
        try {
            conn.exec("BEGIN IMMEDIATE");
            for (Migration m : pending) {
                step = m;
                m.work().run(conn.session);
            }
            conn.execOnce("PRAGMA user_version = " + pending.getLast().version());
            conn.exec("COMMIT");
        } catch (Error e) {
            conn.rollbackQuietly(); // never leave the file write-locked by a half-run migration
            throw e;
        } catch (SQLException | RuntimeException e) {
            conn.rollbackQuietly();
            throw new PoolException(db + ": migration " + step.version() + " (" + step.description()
                    + ") failed; all " + pending.size() + " pending migration(s) rolled back, user_version stays "
                    + current + ": " + e.getMessage(), e);
        } finally {
            setTempStore(conn, db, "MEMORY");
        }
        LOG.log(Level.INFO, db + ": migrated from user_version " + current + " to " + pending.getLast().version());
    }

    private static void setTempStore(Conn conn, DbState db, String mode) {
        try {
            conn.execOnce("PRAGMA temp_store = " + mode);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, db + ": cannot set temp_store=" + mode + " around migrations: " + e.getMessage());
        }
    }
}
