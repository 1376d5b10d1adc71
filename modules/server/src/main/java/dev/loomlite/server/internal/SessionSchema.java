package dev.loomlite.server.internal;

import dev.loomlite.sqlite.Migration;
import java.time.InstantSource;
import java.util.List;

/**
 * The schema of the {@value SessionStore#DATABASE} database, as the pool's migrations. A released step is never
 * edited, only followed by a new one: databases already migrated past it would not see the edit.
 */
final class SessionSchema {
    private SessionSchema() {
    }

    /** @param clock the time an upgraded database counts its existing sessions as last used */
    static List<Migration> migrations(InstantSource clock) {
        return List.of(
                Migration.sql(1, "sessions",
                        "CREATE TABLE session(token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, "
                                + "created_at INTEGER NOT NULL) WITHOUT ROWID",
                        "CREATE INDEX session_user ON session(user_id)"),
                // Sessions from before expiry existed have no recorded use: they count as used at the upgrade, so
                // none ends at once for want of a date; their maximum age still runs from their real sign-in.
                new Migration(2, "session expiry", session -> {
                    session.update("ALTER TABLE session ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0");
                    session.update("UPDATE session SET last_seen_at = ?", clock.millis());
                    session.update("CREATE INDEX session_last_seen ON session(last_seen_at)");
                    session.update("CREATE INDEX session_created ON session(created_at)");
                    return null;
                }),
                // Whether a session was ever used after its sign-in (unused ones end sooner). Sessions from before
                // count as used: they keep the lifetime they were given.
                Migration.sql(3, "unused sessions",
                        "ALTER TABLE session ADD COLUMN used INTEGER NOT NULL DEFAULT 1",
                        "CREATE INDEX session_unused ON session(created_at) WHERE used = 0"),
                // A session's home in a cluster is its hash's CRC32 modulo the shard count, like a room's shard; the
                // CRC is stored so that moving a shard can select its sessions in SQL (SQLite has no CRC32). Computed
                // here in Java for existing rows, once.
                new Migration(4, "session home key", session -> {
                    session.update("ALTER TABLE session ADD COLUMN home_key INTEGER");
                    for (String hash : session.query("SELECT token_hash FROM session", rs -> rs.getString(1))) {
                        session.update("UPDATE session SET home_key = ? WHERE token_hash = ?",
                                SessionTokens.homeKey(hash), hash);
                    }
                    return null;
                }));
    }
}
