package dev.loomlite.server.internal;

import dev.loomlite.server.ServerConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may read {@code /metrics}. With a token configured ({@code METRICS_TOKEN}): whoever sends
 * {@code Authorization: Bearer <token>}, from anywhere (401 otherwise). Without one: clients on this machine only
 * (403 otherwise), which keeps the default safe when the port is reachable from elsewhere. A request that a proxy
 * forwarded, trusted or not, is never local, even from a proxy on this machine (see {@link ClientView#local()}).
 *
 * <p>The token is compared as SHA-256 digests with {@link MessageDigest#isEqual}: the time taken depends neither on
 * where a guess first differs nor on the token's length. Immutable; any request thread calls {@link #check}.
 */
final class MetricsAccess {
    private static final String BEARER = "Bearer ";

    /** The token's SHA-256, or null when no token is configured. */
    private final byte[] tokenDigest;
    private final TrustedProxies proxies;

    /** @param token the configured token; empty for none */
    MetricsAccess(String token, TrustedProxies proxies) {
        this.tokenDigest = token.isEmpty() ? null : sha256(token);
        this.proxies = proxies;
    }

    /** @throws ApiException 401 (token configured, not presented) or 403 (no token configured, not a local client) */
    void check(Context ctx) {
        if (tokenDigest == null) {
            if (!proxies.view(ctx).local()) {
                throw ApiException.of(403, "metrics are served to clients on the server's own machine only; set "
                        + ServerConfig.METRICS_TOKEN_ENV + " to allow others with a bearer token");
            }
            return;
        }
        String header = ctx.header("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
        // Always digest something, so that a missing header takes as long as a wrong token.
        byte[] presented = sha256(bearer ? header.substring(BEARER.length()).strip() : "");
        if (!(MessageDigest.isEqual(presented, tokenDigest) && bearer)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
            throw ApiException.of(401, "metrics need the header Authorization: Bearer <" + ServerConfig.METRICS_TOKEN_ENV + ">");
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
