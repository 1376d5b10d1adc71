package dev.loomlite.server.internal;

import dev.loomlite.server.internal.SessionStore.Row;
import dev.loomlite.server.internal.Sessions.User;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The recently used sessions, by token hash, in memory: bounded, least recently used out. Besides live rows it
 * remembers dead tokens, so that a database read racing with a sign-out or a purge cannot bring the row back:
 * {@link #revoke signed out} ones, and {@link #markGone gone} ones (their row was deleted while they were cached).
 *
 * <pre>{@code
 * Optional<Row> row = cache.cached(hash);            // live or dead; empty: read the database, then keepFirst(hash, read)
 * if (row.isPresent() && SessionCache.dead(row.get())) { ... }   // unknown token
 * }</pre>
 *
 * <p>Thread-safe: any request thread calls any method; each holds the map's lock only for its map operations.
 */
final class SessionCache {
    private static final int CAPACITY = 10_000;
    /** Cached for a signed-out token, so that a read racing with the sign-out cannot cache the row again. */
    private static final Row REVOKED = new Row(new User("", ""), 0, 0, true);
    /** Cached for a token whose row went (purged) while it was cached: dead, but not signed out. */
    private static final Row GONE = new Row(new User("", ""), 0, 0, true);

    /** Token hash → row (or a dead marker); guarded by itself; request threads read and write it. */
    private final Map<String, Row> rows = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Row> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Whether {@code row}, as {@link #cached} returned it, stands for a signed-out or deleted session. */
    static boolean dead(Row row) {
        return row == REVOKED || row == GONE;
    }

    /** What is cached for {@code hash}: a live row or a dead marker ({@link #dead}); empty when nothing is. */
    Optional<Row> cached(String hash) {
        synchronized (rows) {
            return Optional.ofNullable(rows.get(hash));
        }
    }

    /** Caches a row just written (a sign-in). */
    void put(String hash, Row row) {
        synchronized (rows) {
            rows.put(hash, row);
        }
    }

    /**
     * Caches {@code read}, a row read from the database, unless something was cached meanwhile, and returns what
     * is cached now: a sign-out that ran while the row was read left its marker, a rename its renamed row; either
     * wins over the row read before it.
     */
    Row keepFirst(String hash, Row read) {
        synchronized (rows) {
            return rows.merge(hash, read, (current, ignored) -> current);
        }
    }

    /** Whether {@code hash} was {@link #revoke signed out} (rather than never cached, expired or purged). */
    boolean revoked(String hash) {
        synchronized (rows) {
            return rows.get(hash) == REVOKED;
        }
    }

    /**
     * Marks {@code hash} signed out, before its row is deleted.
     *
     * @return what was cached before, for {@link #undoRevoke}; null when nothing was
     */
    Row revoke(String hash) {
        synchronized (rows) {
            return rows.put(hash, REVOKED);
        }
    }

    /** Takes back a {@link #revoke} whose delete failed: {@code before} (what it returned) is cached again. */
    void undoRevoke(String hash, Row before) {
        synchronized (rows) {
            if (before == null) {
                rows.remove(hash, REVOKED);
            } else {
                rows.replace(hash, REVOKED, before);
            }
        }
    }

    /**
     * Records a rename that the database took ({@code stored}: the row as it reads after the update).
     *
     * @return the renamed user, or empty when the token was signed out or purged meanwhile (the rename is void)
     */
    Optional<User> renamed(String hash, Row stored, String name) {
        synchronized (rows) {
            Row cached = rows.get(hash);
            if (dead(cached)) {
                return Optional.empty();
            }
            // The cached row may hold a newer use than the one written; a row read from the database before the
            // update (with the old name) and cached after it is replaced here, and one cached later keeps ours.
            Row renamed = cached == null ? stored
                    : new Row(new User(cached.user().userId(), name), cached.createdAt(), cached.lastSeenAt(), cached.used());
            rows.put(hash, renamed);
            return Optional.of(renamed.user());
        }
    }

    /**
     * Caches {@code next} if {@code current} (the very row returned by {@link #cached}) is still cached: of several
     * threads that renew the same row, only the one this returns true to writes the use.
     */
    boolean swap(String hash, Row current, Row next) {
        synchronized (rows) {
            if (rows.get(hash) != current) {
                return false;
            }
            rows.put(hash, next);
            return true;
        }
    }

    /** Caches {@code next} in place of {@code current}, if that is still cached. */
    void replace(String hash, Row current, Row next) {
        synchronized (rows) {
            rows.replace(hash, current, next);
        }
    }

    /** Marks {@code hash} dead in place of {@code current}: its row was found deleted (purged or signed out). */
    void markGone(String hash, Row current) {
        replace(hash, current, GONE);
    }
}
