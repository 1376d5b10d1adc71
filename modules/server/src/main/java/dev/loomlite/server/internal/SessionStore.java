package dev.loomlite.server.internal;

import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sessions, stored in the pool's {@value #DATABASE} database so they survive a restart. The client holds a
 * random 256-bit token; the server stores only its SHA-256, so a copy of the database opens no session.
 * Recently used sessions are cached in memory (bounded, least recently used out).
 */
final class SessionStore {
    static final String DATABASE = "server";
    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "sessions",
            "CREATE TABLE session(token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, "
                    + "created_at INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX session_user ON session(user_id)"));
    /** 32 random bytes in unpadded base64url. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int CACHE_SIZE = 10_000;

    /** A signed-in user: the id every message is attributed to, and the display name. */
    record User(String userId, String name) {
        User {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A new session: the token for the cookie (shown once, never stored) and its user. */
    record Opened(String token, User user) {
    }

    private final Database db;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Token hash → user; guarded by itself; any request thread reads and writes it. */
    private final Map<String, User> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, User> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private SessionStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Opens (and migrates) the sessions database. */
    static SessionStore open(SqlitePool pool, Clock clock) {
        return new SessionStore(pool.database(DATABASE, MIGRATIONS), clock);
    }

    /** Creates a user with a fresh id and a session for it. */
    Opened open(String name) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        User user = new User(UUID.randomUUID().toString(), name);
        String hash = hash(token);
        db.update("INSERT INTO session(token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)",
                hash, user.userId(), user.name(), clock.millis());
        remember(hash, user);
        return new Opened(token, user);
    }

    /** The session's user, if the token is well formed and known. */
    Optional<User> find(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String hash = hash(token);
        synchronized (cache) {
            User cached = cache.get(hash);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<User> stored = db.queryOne("SELECT user_id, name FROM session WHERE token_hash = ?",
                row -> new User(row.getString(1), row.getString(2)), hash);
        stored.ifPresent(user -> remember(hash, user));
        return stored;
    }

    /** Changes the display name of the session's user; its id, and so its past sends, stay. */
    User rename(String token, User user, String name) {
        String hash = hash(token);
        User renamed = new User(user.userId(), name);
        db.update("UPDATE session SET name = ? WHERE token_hash = ?", name, hash);
        remember(hash, renamed);
        return renamed;
    }

    private void remember(String hash, User user) {
        synchronized (cache) {
            cache.put(hash, user);
        }
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
