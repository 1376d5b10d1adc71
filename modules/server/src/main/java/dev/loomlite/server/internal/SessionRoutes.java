package dev.loomlite.server.internal;

import dev.loomlite.server.SessionPolicy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code POST /api/session} (sign in with a name, or rename), {@code GET /api/session} (who am I) and
 * {@code DELETE /api/session} (sign out), plus {@link #require(Context)} for every route that needs a user.
 *
 * <p>The cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site sends it)
 * and {@code Path=/}; {@code Secure} is added when the client used HTTPS (to a TLS-terminating proxy in
 * {@code --trusted-proxies}: the server has no TLS itself). It lives as long as the session
 * may (its maximum age). Only a sign-out clears it: a 401 does not, because the request it answers may have left
 * with an older cookie than the browser holds by now (a renewal set a new one meanwhile), and clearing would delete
 * the new one. A dead cookie is harmless; the next sign-in overwrites it.
 *
 * <p>A sign-in with a live cookie renames its user in place and keeps the token (so that other tabs and requests
 * still carrying it stay signed in as the same user). A cookie planted in the browser from a sibling subdomain
 * (session fixation) is not defended against: serve the chat on a host of its own.
 *
 * <p>Sign-ins are limited: each new one writes a row, and a client that could sign in without limit could fill the
 * database. One bucket per client address ({@link ClientView#limitKey}: behind a trusted proxy, the address it
 * forwards for), spent before the body is read by every
 * sign-in, and one for the whole server, which bounds the rate of new sessions whatever number of addresses a
 * client controls. Only a sign-in that creates a session draws on the server's bucket (a rename or a renewal with a
 * live cookie adds no row), so a flood of new sign-ins cannot lock users with a session out of renaming; when the
 * server's bucket refuses, the address's token is given back.
 */
final class SessionRoutes {
    static final String COOKIE = "loomlite_session";
    /** Client addresses whose sign-in buckets are remembered at once (about 100 bytes each). */
    private static final int SIGN_IN_KEYS = 50_000;
    private static final String EVERYONE = "*";

    /** When to retry a request whose session's home node did not answer. */
    static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(1);
    private final Sessions store;
    private final Gate gate;
    private final TrustedProxies proxies;
    private final SessionPolicy policy;
    private final RateLimiter signIns;
    private final RateLimiter allSignIns;
    private final Consumer<String> signedOut;
    /** Sign-ins refused with 429 (either limit); incremented by request threads, read by {@code /metrics}. */
    final LongAdder rateLimited = new LongAdder();

    /**
     * @param ticker    the rate limiters' monotonic clock, in nanoseconds
     * @param signedOut told the user id of each session signed out, on the request thread (ends its streams)
     */
    SessionRoutes(Sessions store, Gate gate, TrustedProxies proxies, SessionPolicy policy, LongSupplier ticker,
                  Consumer<String> signedOut) {
        this.store = store;
        this.gate = gate;
        this.proxies = proxies;
        this.policy = policy;
        this.signIns = new RateLimiter(policy.signInRate() / 60.0, policy.signInBurst(), SIGN_IN_KEYS, ticker);
        this.allSignIns = new RateLimiter(policy.globalSignInRate(), policy.globalSignInBurst(), 1, ticker);
        this.signedOut = signedOut;
    }

    void install(RoutesConfig routes) {
        routes.post("/api/session", this::signIn);
        routes.get("/api/session", ctx -> ctx.json(Wire.UserView.of(require(ctx))));
        routes.delete("/api/session", this::signOut);
    }

    /**
     * The request's user; the session counts as used.
     *
     * @throws ApiException 401 without a live session, saying why when it expired; 503 when the session's home node
     *                      (in a cluster) cannot say
     */
    Sessions.User require(Context ctx) {
        return user(store.find(ctx.cookie(COOKIE)));
    }

    /** What a token (a WebSocket's cookie) is worth now; a live session counts as used. */
    Sessions.Lookup lookup(String token) {
        return store.find(token);
    }

    /** The user of a live session; 401 or 503 as {@link #require} for anything else. */
    private static Sessions.User user(Sessions.Lookup lookup) {
        return switch (lookup) {
            case Sessions.Active active -> active.user();
            case Sessions.Expired expired -> throw ApiException.of(401, expired.reason());
            case Sessions.Unknown unknown -> throw ApiException.unauthorized();
            // Never 401 here: the client would sign in again as a new user, and a retried send would be a new one.
            case Sessions.Unavailable unavailable -> throw ApiException.retryLater(503,
                    "the session's server is unavailable: retry", UNAVAILABLE_RETRY);
        };
    }

    /** Whether the session of {@code token} was signed out (not merely expired or never valid). */
    boolean signedOut(String token) {
        return store.signedOut(token);
    }

    /**
     * Signs in. A request that already has a live session keeps its token, its user id (its replays stay valid) and
     * its sign-in time, and takes the new name; any other creates a user and a session.
     */
    private void signIn(Context ctx) {
        gate.requireUp();
        ClientView client = proxies.view(ctx);
        String address = client.limitKey();
        signIns.acquire(address).ifPresent(wait -> {
            rateLimited.increment();
            throw ApiException.retryLater(429, "too many sign-ins from this address: at most " + policy.signInRate()
                    + " a minute after a burst of " + policy.signInBurst() + ", retry later", wait);
        });
        String name = Names.valid(Json.read(ctx, Wire.SessionRequest.class).name());
        String token = ctx.cookie(COOKIE);
        Sessions.Lookup presented = store.peek(token);
        if (presented instanceof Sessions.Unavailable) {
            user(presented); // 503: a rename of a session we cannot see must not become a new user
        }
        if (presented instanceof Sessions.Active active) {
            Optional<Sessions.User> renamed = store.rename(token, name);
            if (renamed.isPresent()) {
                setCookie(ctx, client, token, active.left());
                ctx.json(Wire.UserView.of(renamed.get()));
                return;
            }
        }
        allSignIns.acquire(EVERYONE).ifPresent(wait -> {
            signIns.refund(address);
            rateLimited.increment();
            throw ApiException.retryLater(429, "too many sign-ins on this server (all addresses together): at most "
                    + policy.globalSignInRate() + " a second after a burst of " + policy.globalSignInBurst()
                    + ", retry later", wait);
        });
        Sessions.SignedIn signedIn = store.signIn(name);
        setCookie(ctx, client, signedIn.token(), policy.maxAge());
        ctx.json(Wire.UserView.of(signedIn.user()));
    }

    /**
     * Signs the calling session out: 204, the cookie cleared, and the token is worthless from now on. With
     * {@code ?userId=U}, only if the session is U's: a page that ends a session it no longer wants names it, so that
     * it cannot end another one the browser's cookie has meanwhile been switched to (409, nothing signed out, and the
     * other user's session does not count as used). The check does not count as a use either way.
     */
    private void signOut(Context ctx) {
        String token = ctx.cookie(COOKIE);
        Sessions.User user = user(store.peek(token));
        String expected = ctx.queryParam("userId");
        if (expected != null && !expected.equals(user.userId())) {
            throw ApiException.of(409, "this session is another user's: nothing was signed out");
        }
        store.revoke(token, user.userId());
        signedOut.accept(user.userId());
        clearCookie(ctx, proxies.view(ctx));
        ctx.status(204);
    }

    private static void setCookie(Context ctx, ClientView client, String token, Duration lifetime) {
        ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; Max-Age=" + Math.max(1, lifetime.toSeconds())
                + "; HttpOnly; SameSite=Strict" + (client.https() ? "; Secure" : ""));
    }

    private static void clearCookie(Context ctx, ClientView client) {
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (client.https() ? "; Secure" : ""));
    }
}
