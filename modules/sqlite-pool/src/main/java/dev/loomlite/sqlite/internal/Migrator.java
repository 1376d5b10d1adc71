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
        }
        LOG.log(Level.INFO, db + ": migrated from user_version " + current + " to " + pending.getLast().version());
    }
}
