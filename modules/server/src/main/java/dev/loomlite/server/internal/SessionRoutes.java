package dev.loomlite.server.internal;

import dev.loomlite.server.SessionPolicy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * {@code POST /api/session} (sign in with a name, or rename), {@code GET /api/session} (who am I) and
 * {@code DELETE /api/session} (sign out), plus {@link #require(Context)} for every route that needs a user.
 *
 * <p>The cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site sends it)
 * and {@code Path=/}; {@code Secure} is added when the request came over HTTPS. It lives as long as the session
 * may (its maximum age); an answer that finds the session gone clears it.
 *
 * <p>Sign-ins are limited per client address ({@link ClientAddress#limitKey}), before the body is read: each one
 * writes to the database, and a client that could sign in without limit could fill it.
 */
final class SessionRoutes {
    static final String COOKIE = "loomlite_session";
    /** Client addresses whose sign-in buckets are remembered at once (about 100 bytes each). */
    private static final int SIGN_IN_KEYS = 50_000;

    private final SessionStore store;
    private final Gate gate;
    private final SessionPolicy policy;
    private final RateLimiter signIns;
    private final Consumer<String> signedOut;
    /** Sign-ins refused with 429; incremented by request threads, read by {@code /metrics}. */
    final LongAdder rateLimited = new LongAdder();

    /** @param signedOut told the user id of each session signed out, on the request thread (ends its streams) */
    SessionRoutes(SessionStore store, Gate gate, SessionPolicy policy, Consumer<String> signedOut) {
        this.store = store;
        this.gate = gate;
        this.policy = policy;
        this.signIns = new RateLimiter(policy.signInRate() / 60.0, policy.signInBurst(), SIGN_IN_KEYS, System::nanoTime);
        this.signedOut = signedOut;
    }

    void install(RoutesConfig routes) {
        routes.post("/api/session", this::open);
        routes.get("/api/session", ctx -> ctx.json(Wire.UserView.of(require(ctx))));
        routes.delete("/api/session", this::close);
    }

    /**
     * The request's user; the session counts as used.
     *
     * @throws ApiException 401 without a live session, saying why when it expired; a dead cookie is cleared
     */
    SessionStore.User require(Context ctx) {
        return active(ctx).user();
    }

    /** The user of a token (a WebSocket's cookie), if its session is live. */
    Optional<SessionStore.User> user(String token) {
        return store.find(token) instanceof SessionStore.Active active ? Optional.of(active.user()) : Optional.empty();
    }

    private SessionStore.Active active(Context ctx) {
        String token = ctx.cookie(COOKIE);
        return switch (store.find(token)) {
            case SessionStore.Active active -> active;
            case SessionStore.Expired expired -> {
                clearCookie(ctx);
                throw ApiException.of(401, expired.reason());
            }
            case SessionStore.Unknown unknown -> {
                if (token != null) {
                    clearCookie(ctx);
                }
                throw ApiException.unauthorized();
            }
        };
    }

    /** A request that already has a live session keeps its user id (its replays stay valid) and takes the new name. */
    private void open(Context ctx) {
        gate.requireUp();
        signIns.acquire(ClientAddress.limitKey(ctx)).ifPresent(wait -> {
            rateLimited.increment();
            throw ApiException.retryLater(429, "too many sign-ins from this address: at most " + policy.signInRate()
                    + " a minute after a burst of " + policy.signInBurst() + ", retry later", wait);
        });
        String name = Names.valid(Json.read(ctx, Wire.SessionRequest.class).name());
        String token = ctx.cookie(COOKIE);
        SessionStore.User user = null;
        Duration lifetime = policy.maxAge();
        if (store.find(token) instanceof SessionStore.Active active) {
            user = store.rename(token, active.user(), name).orElse(null);
            lifetime = active.left();
        }
        if (user == null) {
            SessionStore.Opened opened = store.open(name);
            token = opened.token();
            user = opened.user();
            lifetime = policy.maxAge();
        }
        setCookie(ctx, token, lifetime);
        ctx.json(Wire.UserView.of(user));
    }

    /** Signs the calling session out: 204, and the token is worthless from now on. */
    private void close(Context ctx) {
        SessionStore.User user = require(ctx);
        store.revoke(ctx.cookie(COOKIE));
        signedOut.accept(user.userId());
        clearCookie(ctx);
        ctx.status(204);
    }

    private static void setCookie(Context ctx, String token, Duration lifetime) {
        ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; Max-Age=" + Math.max(1, lifetime.toSeconds())
                + "; HttpOnly; SameSite=Strict" + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
    }

    private static void clearCookie(Context ctx) {
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
    }
}
