package dev.loomlite.server.internal;

import dev.loomlite.server.SessionPolicy;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.SqlitePool;
import java.lang.System.Logger.Level;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions, stored in the pool's {@value #DATABASE} database so they survive a restart. The client holds a
 * random 256-bit token; the server stores only its SHA-256 ({@link SessionTokens}). Recently used sessions are cached
 * in memory ({@link SessionCache}).
 *
 * <p>A session ends {@link SessionPolicy#idleTimeout()} after its last use, or {@link SessionPolicy#maxAge()}
 * after its sign-in, whichever comes first; one that nothing but its sign-in ever used ends already
 * {@link SessionPolicy#unusedTimeout()} after it (sign-ins that are never used, a flood of them say, do not stay in
 * the database for the whole idle time). A use is written to the database at most once per {@link #renewEvery} (a
 * minute, less for very short idle timeouts), so the idle time is measured from a use at most that old: a busy
 * session costs one write a minute, not one per request; the first use is written at once. Ended and revoked rows
 * are deleted by {@link #purgeExpired}, in bounded batches.
 *
 * <pre>{@code
 * SessionStore store = SessionStore.open(pool, policy, InstantSource.system());
 * Sessions.SignedIn signedIn = store.signIn("Alice");            // the token goes into the cookie
 * if (store.find(cookie) instanceof Sessions.Active active) { ... active.user() ... }
 * }</pre>
 */
final class SessionStore implements Sessions {
    static final String DATABASE = "server";
    private static final System.Logger LOG = System.getLogger(SessionStore.class.getName());
    private static final Duration MAX_RENEW_EVERY = Duration.ofMinutes(1);
    /** Rows deleted per purge statement: short enough not to hold the shared writer up. */
    static final int PURGE_BATCH = 500;
    /** Batches per purge run: a run deletes at most 10,000 rows; the next run continues. */
    private static final int PURGE_BATCHES = 20;
    /** A renewal that cannot be written within this is skipped (the next use retries); the request goes on. */
    private static final Duration RENEW_TIMEOUT = Duration.ofSeconds(1);

    /**
     * One session as stored; {@code lastSeenAt} is the use last written, {@code used} whether any request but the
     * sign-in (or a rename) used it. Times in epoch milliseconds.
     */
    record Row(User user, long createdAt, long lastSeenAt, boolean used) {
    }

    private static final String SELECT_ROW = "SELECT user_id, name, created_at, last_seen_at, used FROM session WHERE token_hash = ?";
    private static final Unknown UNKNOWN = new Unknown();

    private final Database db;
    private final SessionPolicy policy;
    private final InstantSource clock;
    /** The database, with the short deadline of renewals. */
    private final Database renewals;
    private final long renewEvery;
    private final SessionTokens tokens = new SessionTokens();
    private final SessionCache cache = new SessionCache();

    private SessionStore(Database db, SessionPolicy policy, InstantSource clock) {
        this.db = db;
        this.policy = policy;
        this.clock = clock;
        this.renewals = db.withTimeout(RENEW_TIMEOUT);
        this.renewEvery = Math.min(MAX_RENEW_EVERY.toMillis(), policy.idleTimeout().toMillis() / 10);
    }

    /** Opens (and migrates) the sessions database. */
    static SessionStore open(SqlitePool pool, SessionPolicy policy, InstantSource clock) {
        return new SessionStore(pool.database(DATABASE, SessionSchema.migrations(clock)), policy, clock);
    }

    /** Signs a new user in: creates a user with a fresh id and a session for it, not used yet. */
    @Override
    public SignedIn signIn(String name) {
        String token = tokens.issue();
        return new SignedIn(token, create(SessionTokens.hash(token), UUID.randomUUID().toString(), name));
    }

    /**
     * Stores a new, unused session of the token whose hash is {@code hash} for user {@code userId}: what a sign-in
     * does here, or at a session's home for a sign-in another node of a cluster received.
     */
    User create(String hash, String userId, String name) {
        User user = new User(userId, name);
        long now = clock.millis();
        db.update("INSERT INTO session(token_hash, user_id, name, created_at, last_seen_at, used, home_key)"
                + " VALUES (?, ?, ?, ?, ?, 0, ?)", hash, user.userId(), user.name(), now, now, SessionTokens.homeKey(hash));
        cache.put(hash, new Row(user, now, now, false));
        return user;
    }

    @Override
    public Lookup lookup(String token, boolean use) {
        if (!SessionTokens.wellFormed(token)) {
            return UNKNOWN;
        }
        return lookupHash(SessionTokens.hash(token), use);
    }

    /** {@link #find} ({@code use}) or {@link #peek} of the token whose hash is {@code hash}. */
    Lookup lookupHash(String hash, boolean use) {
        Optional<Row> found = row(hash);
        if (found.isEmpty() || SessionCache.dead(found.get())) {
            return UNKNOWN;
        }
        Row row = found.get();
        long now = clock.millis();
        long age = now - row.createdAt();
        if (age >= policy.maxAge().toMillis()) {
            return new Expired("session expired: a session lasts at most " + human(policy.maxAge())
                    + " after sign-in; POST /api/session to sign in again");
        }
        if (now - row.lastSeenAt() >= policy.idleTimeout().toMillis()) {
            return new Expired("session expired after " + human(policy.idleTimeout())
                    + " without use; POST /api/session to sign in again");
        }
        if (!row.used() && age >= policy.unusedTimeout().toMillis()) {
            return new Expired("session expired: it was not used within " + human(policy.unusedTimeout())
                    + " of its sign-in; POST /api/session to sign in again");
        }
        if (use && (!row.used() || now - row.lastSeenAt() >= renewEvery)) {
            renew(hash, row, now - row.lastSeenAt() >= renewEvery ? now : row.lastSeenAt());
        }
        return new Active(row.user(), policy.maxAge().minusMillis(age));
    }

    /** Whether {@code token} was signed out ({@link #revoke}) rather than never valid, expired or purged. */
    @Override
    public boolean signedOut(String token) {
        return SessionTokens.wellFormed(token) && revoked(SessionTokens.hash(token));
    }

    /** {@link #signedOut} of a token hash. */
    boolean revoked(String hash) {
        return cache.revoked(hash);
    }

    /**
     * Renames the session's user in place: the same token, user id (and so its past sends), sign-in time and use;
     * only the name changes. Concurrent renames of one session all succeed, the last one's name stays.
     *
     * @return the renamed user, or empty when the session was signed out or purged meanwhile
     */
    @Override
    public Optional<User> rename(String token, String name) {
        return renameHash(SessionTokens.hash(token), name);
    }

    /** {@link #rename} of a token hash. */
    Optional<User> renameHash(String hash, String name) {
        Optional<Row> stored = db.write(tx -> {
            if (tx.update("UPDATE session SET name = ? WHERE token_hash = ?", name, hash) == 0) {
                return Optional.<Row>empty();
            }
            return tx.queryOne(SELECT_ROW, SessionStore::readRow, hash);
        });
        // Signed out (or purged) while we renamed: the token is dead; the caller signs in afresh.
        return stored.flatMap(row -> cache.renamed(hash, row, name));
    }

    /**
     * Signs the session of {@code token}, the user {@code userId}'s, out: from now on the token is unknown, here and
     * after a restart. Every row of the user is deleted (there is one: a rename keeps the token), so no session of
     * the user outlives the sign-out.
     */
    @Override
    public void revoke(String token, String userId) {
        revokeHash(SessionTokens.hash(token), userId);
    }

    /** {@link #revoke} of a token hash. */
    void revokeHash(String hash, String userId) {
        Row before = cache.revoke(hash);
        try {
            db.update("DELETE FROM session WHERE token_hash = ? OR user_id = ?", hash, userId);
        } catch (RuntimeException e) {
            // Not deleted: it must not look signed out here while it would come back after a restart. The caller
            // gets the failure (503) and may try again.
            cache.undoRevoke(hash, before);
            throw e;
        }
    }

    /**
     * Deletes sessions that have ended, at most {@value #PURGE_BATCHES} batches of {@value #PURGE_BATCH} rows, so
     * that one run holds the shared writer only briefly; a later run deletes the rest. Called at startup and
     * periodically by the server's housekeeping thread.
     *
     * @return how many rows were deleted
     */
    int purgeExpired() {
        long now = clock.millis();
        long idleBefore = now - policy.idleTimeout().toMillis();
        long createdBefore = now - policy.maxAge().toMillis();
        long unusedBefore = now - policy.unusedTimeout().toMillis();
        int total = 0;
        for (int batch = 0; batch < PURGE_BATCHES; batch++) {
            int deleted = db.update("DELETE FROM session WHERE token_hash IN (SELECT token_hash FROM session "
                    + "WHERE last_seen_at <= ? OR created_at <= ? OR (used = 0 AND created_at <= ?) LIMIT ?)",
                    idleBefore, createdBefore, unusedBefore, PURGE_BATCH);
            total += deleted;
            if (deleted < PURGE_BATCH) {
                break;
            }
        }
        return total;
    }

    /** The row of {@code hash}: from the cache, else from the database (then cached unless signed out meanwhile). */
    private Optional<Row> row(String hash) {
        Optional<Row> cached = cache.cached(hash);
        if (cached.isPresent()) {
            return cached;
        }
        return db.queryOne(SELECT_ROW, SessionStore::readRow, hash).map(read -> cache.keepFirst(hash, read));
    }

    private static Row readRow(ResultSet rs) throws SQLException {
        return new Row(new User(rs.getString(1), rs.getString(2)), rs.getLong(3), rs.getLong(4), rs.getInt(5) != 0);
    }

    /**
     * Writes a use: the session is used, last seen at {@code lastSeenAt}. Only the request that swaps the cached row
     * writes; concurrent requests of the same session see the renewed row and do not. A failed write is logged and
     * skipped: the request goes on, the session's idle time is counted from the previous write until the next
     * renewal succeeds, and a first use not written is written again by the next use.
     */
    private void renew(String hash, Row row, long lastSeenAt) {
        Row renewed = new Row(row.user(), row.createdAt(), lastSeenAt, true);
        if (!cache.swap(hash, row, renewed)) {
            return;
        }
        try {
            if (renewals.update("UPDATE session SET last_seen_at = ?, used = 1 WHERE token_hash = ?", lastSeenAt, hash) == 0) {
                // Purged or signed out meanwhile: the cached row must not outlive it.
                cache.markGone(hash, renewed);
            }
        } catch (PoolException e) {
            cache.replace(hash, renewed, new Row(row.user(), row.createdAt(), lastSeenAt, row.used()));
            LOG.log(Level.WARNING, "could not record a session's use, retried on a later use: {0}", e.getMessage());
        }
    }

    /** "30 days", "12 hours", "90 minutes", "45 seconds": the largest whole unit. */
    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return plural(d.toDays(), "day");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return plural(d.toHours(), "hour");
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return plural(d.toMinutes(), "minute");
        }
        return plural(Math.max(1, d.toSeconds()), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
