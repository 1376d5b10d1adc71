package dev.loomlite.server.internal;

import dev.loomlite.server.spi.HomeAnswer;
import dev.loomlite.server.spi.HomeUnavailableException;
import dev.loomlite.server.spi.SessionEvent;
import dev.loomlite.server.spi.SessionHomes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Sessions of a cluster node (docs/cluster-design.md §9): every session lives in the database of its home node, the
 * owner of the shard its token hash falls in, so a cookie minted on one node is the same user on every node. Sessions
 * homed here are this node's {@link SessionStore}; the others are asked of their home ({@link SessionHomes}) and the
 * answers cached for {@code ttl}.
 *
 * <p>What a node does when a home does not answer: it serves a cached answer up to {@link #STALE_LIMIT} old, else
 * {@link Sessions.Unavailable} (503, the client retries): never "unknown" (401), which would make the client sign in
 * again as a new user and send its retried messages a second time. A sign-out is broadcast by the home and ends
 * streams everywhere at once; if the broadcast is lost, cached answers expire within {@code ttl} and open streams are
 * {@linkplain #revalidate revalidated} every {@code ttl / 2}.
 *
 * <pre>{@code
 * Sessions sessions = new ClusterSessions(store, cluster.sessions(), "n1", Duration.ofSeconds(5), System::nanoTime);
 * }</pre>
 *
 * Thread-safe: request threads, the broker's dispatcher ({@link #onEvent}) and the housekeeping thread.
 */
final class ClusterSessions implements Sessions {
    private static final System.Logger LOG = System.getLogger(ClusterSessions.class.getName());
    /** A cached answer older than this is not served even when the home is down. */
    static final Duration STALE_LIMIT = Duration.ofMinutes(10);
    private static final int CAPACITY = 10_000;
    /** Sign-ins whose remote home did not confirm are retried with new tokens this often before one homed here. */
    private static final int REMOTE_TRIES = 3;
    private static final Sessions.Unknown UNKNOWN = new Sessions.Unknown();
    private static final Sessions.Unavailable UNAVAILABLE = new Sessions.Unavailable();

    /** An answer of a session's home and when it came ({@link #ticker} nanos). */
    private record Cached(HomeAnswer answer, long fetchedAt) {
    }

    private final SessionStore local;
    private final SessionHomes homes;
    private final String node;
    private final long ttlNanos;
    private final LongSupplier ticker;
    private final SessionTokens tokens = new SessionTokens();
    // Look-ups of a session being asked of its home now, by token hash: added and removed by the asking thread.
    private final Map<String, CompletableFuture<HomeAnswer>> asking = new ConcurrentHashMap<>();
    // Token hash → the home's last answer; guarded by itself; least recently used out. A revoked answer is final.
    private final Map<String, Cached> remote = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CAPACITY;
        }
    };

    ClusterSessions(SessionStore local, SessionHomes homes, String node, Duration ttl, LongSupplier ticker) {
        this.local = local;
        this.homes = homes;
        this.node = node;
        this.ttlNanos = ttl.toNanos();
        this.ticker = ticker;
    }

    /**
     * Signs a new user in: a fresh token whose home stores the session. A remote home that does not confirm costs a
     * new token (its row, if it was written after all, is never used and is purged as unused); after
     * {@value #REMOTE_TRIES} such tries, tokens are drawn until one is homed here, which always succeeds.
     */
    @Override
    public SignedIn signIn(String name) {
        String userId = UUID.randomUUID().toString();
        int remoteTries = 0;
        while (true) {
            String token = tokens.issue();
            String hash = SessionTokens.hash(token);
            if (homes.isLocal(hash)) {
                return new SignedIn(token, local.create(hash, userId, name));
            }
            if (remoteTries++ >= REMOTE_TRIES) {
                continue;
            }
            try {
                if (homes.create(hash, userId, name) instanceof HomeAnswer.Active active) {
                    // Not cached: the home's answer to a change carries no lifetime; the first look-up asks it.
                    return new SignedIn(token, new User(active.userId(), active.name()));
                }
            } catch (HomeUnavailableException e) {
                LOG.log(System.Logger.Level.DEBUG, "a sign-in's home did not confirm; another token: " + e.getMessage());
            }
        }
    }

    @Override
    public Lookup lookup(String token, boolean use) {
        if (!SessionTokens.wellFormed(token)) {
            return UNKNOWN;
        }
        String hash = SessionTokens.hash(token);
        if (homes.isLocal(hash)) {
            return local.lookupHash(hash, use);
        }
        long now = ticker.getAsLong();
        Cached cached = cached(hash);
        if (cached != null && (cached.answer() instanceof HomeAnswer.Revoked || now - cached.fetchedAt() < ttlNanos)) {
            return answer(cached, now);
        }
        HomeAnswer fresh = askHome(hash, use);
        if (fresh != null) {
            Cached stored = new Cached(fresh, now);
            put(hash, stored);
            return answer(stored, now);
        }
        if (cached != null && now - cached.fetchedAt() < STALE_LIMIT.toNanos()) {
            return answer(cached, now);
        }
        return UNAVAILABLE;
    }

    /**
     * The home's answer for {@code hash}, or null when it did not answer. Concurrent look-ups of one session (a user's
     * tabs and streams reconnecting together) share one request to its home.
     */
    private HomeAnswer askHome(String hash, boolean use) {
        CompletableFuture<HomeAnswer> mine = new CompletableFuture<>();
        CompletableFuture<HomeAnswer> running = asking.putIfAbsent(hash, mine);
        if (running != null) {
            return running.join();
        }
        try {
            HomeAnswer answer = homes.lookup(List.of(hash), use).get(hash);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            mine.complete(null);
            throw e;
        } finally {
            asking.remove(hash, mine);
        }
    }

    private static Lookup answer(Cached cached, long now) {
        return switch (cached.answer()) {
            case HomeAnswer.Active a -> new Active(new User(a.userId(), a.name()),
                    Duration.ofMillis(Math.max(0, a.leftMillis())).minusNanos(now - cached.fetchedAt()));
            case HomeAnswer.Expired e -> new Expired(e.reason());
            case HomeAnswer.Revoked r -> UNKNOWN;
            case HomeAnswer.Unknown u -> UNKNOWN;
            case HomeAnswer.Conflict c -> UNKNOWN;
        };
    }

    @Override
    public boolean signedOut(String token) {
        if (!SessionTokens.wellFormed(token)) {
            return false;
        }
        String hash = SessionTokens.hash(token);
        if (homes.isLocal(hash)) {
            return local.revoked(hash);
        }
        Cached cached = cached(hash);
        return cached != null && cached.answer() instanceof HomeAnswer.Revoked;
    }

    /** @throws HomeUnavailableException when the session's home did not answer (503) */
    @Override
    public Optional<User> rename(String token, String name) {
        String hash = SessionTokens.hash(token);
        if (homes.isLocal(hash)) {
            Optional<User> renamed = local.renameHash(hash, name);
            renamed.ifPresent(user -> onRenamedHere(hash, user));
            return renamed;
        }
        return switch (homes.rename(hash, name)) {
            case HomeAnswer.Active active -> {
                forget(hash); // the old name is cached; the next look-up asks the home (a change's answer has no lifetime)
                yield Optional.of(new User(active.userId(), active.name()));
            }
            case HomeAnswer.Revoked revoked -> {
                put(hash, new Cached(revoked, ticker.getAsLong()));
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** @throws HomeUnavailableException when the session's home did not answer (503: nothing was signed out) */
    @Override
    public void revoke(String token, String userId) {
        String hash = SessionTokens.hash(token);
        if (homes.isLocal(hash)) {
            revokeHere(hash, userId);
            return;
        }
        homes.revoke(hash, userId);
        put(hash, new Cached(new HomeAnswer.Revoked(), ticker.getAsLong()));
    }

    /** Signs out a session homed here (a request here, or another node's on the internal route) and tells every node. */
    void revokeHere(String hash, String userId) {
        local.revokeHash(hash, userId);
        homes.publish(new SessionEvent(SessionEvent.Kind.REVOKED, hash, userId, node));
    }

    /** A session homed here was renamed by another node's request: every node drops the name it cached. */
    void onRenamedHere(String hash, User user) {
        homes.publish(new SessionEvent(SessionEvent.Kind.RENAMED, hash, user.userId(), node));
    }

    /** A session change broadcast by its home: a sign-out is final here; a rename drops the cached name. */
    void onEvent(SessionEvent event) {
        if (homes.isLocal(event.tokenHash())) {
            return;
        }
        switch (event.kind()) {
            case REVOKED -> put(event.tokenHash(), new Cached(new HomeAnswer.Revoked(), ticker.getAsLong()));
            case RENAMED -> forget(event.tokenHash());
        }
    }

    /**
     * Asks the homes of {@code hashes} (sessions of open streams) whether they were signed out, without counting as a
     * use: the bound on a sign-out whose broadcast was lost. Returns the hashes found signed out; a home that does not
     * answer is asked again next time.
     */
    List<String> revalidate(Collection<String> hashes) {
        List<String> remoteHashes = hashes.stream().filter(h -> !homes.isLocal(h)).distinct().toList();
        if (remoteHashes.isEmpty()) {
            return List.of();
        }
        long now = ticker.getAsLong();
        List<String> revoked = new ArrayList<>();
        homes.lookup(remoteHashes, false).forEach((hash, answer) -> {
            put(hash, new Cached(answer, now));
            if (answer instanceof HomeAnswer.Revoked) {
                revoked.add(hash);
            }
        });
        return revoked;
    }

    private void forget(String hash) {
        synchronized (remote) {
            remote.computeIfPresent(hash, (h, c) -> c.answer() instanceof HomeAnswer.Revoked ? c : null);
        }
    }

    private Cached cached(String hash) {
        synchronized (remote) {
            return remote.get(hash);
        }
    }

    private void put(String hash, Cached answer) {
        synchronized (remote) {
            Cached current = remote.get(hash);
            // Once revoked, always revoked: a look-up answered before the sign-out must not bring the session back.
            if (current == null || !(current.answer() instanceof HomeAnswer.Revoked)) {
                remote.put(hash, answer);
            }
        }
    }
}
