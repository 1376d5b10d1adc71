package dev.loomlite.server.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /api/session} (sign in with a name, or rename) and {@code GET /api/session} (who am I), plus
 * {@link #require(Context)} for every route that needs a user.
 *
 * <p>The cookie is {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site sends it)
 * and {@code Path=/}; {@code Secure} is added when the request came over HTTPS.
 */
final class SessionRoutes {
    static final String COOKIE = "loomlite_session";
    private static final Duration COOKIE_LIFETIME = Duration.ofDays(365);

    private final SessionStore store;
    private final Gate gate;

    SessionRoutes(SessionStore store, Gate gate) {
        this.store = store;
        this.gate = gate;
    }

    void install(RoutesConfig routes) {
        routes.post("/api/session", this::open);
        routes.get("/api/session", ctx -> ctx.json(Wire.UserView.of(require(ctx))));
    }

    /** The request's user. @throws ApiException 401 without a known session */
    SessionStore.User require(Context ctx) {
        return find(ctx).orElseThrow(ApiException::unauthorized);
    }

    Optional<SessionStore.User> find(Context ctx) {
        return store.find(ctx.cookie(COOKIE));
    }

    /** A request that already has a session keeps its user id (its replays stay valid) and takes the new name. */
    private void open(Context ctx) {
        gate.requireUp();
        String name = Names.valid(Json.read(ctx, Wire.SessionRequest.class).name());
        String token = ctx.cookie(COOKIE);
        Optional<SessionStore.User> current = store.find(token);
        SessionStore.User user;
        if (current.isPresent()) {
            user = store.rename(token, current.get(), name);
        } else {
            SessionStore.Opened opened = store.open(name);
            token = opened.token();
            user = opened.user();
        }
        ctx.header("Set-Cookie", COOKIE + "=" + token + "; Path=/; Max-Age=" + COOKIE_LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
        ctx.header("Cache-Control", "no-store");
        ctx.json(Wire.UserView.of(user));
    }
}
