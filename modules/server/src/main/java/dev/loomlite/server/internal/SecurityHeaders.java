package dev.loomlite.server.internal;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Headers on every response: the page may run only its own scripts and styles, and never inside a frame.
 * Jetty sets them as each request is parsed ({@link #customizer()}), before any handler runs, so static files,
 * API answers, WebSocket upgrades and refusals carry them; Jetty's own error pages add them again
 * ({@link JsonErrorPages}), since a failing exchange starts its response afresh.
 */
final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String[][] HEADERS = {
        {"Content-Security-Policy", CSP},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
    };

    private SecurityHeaders() {
    }

    static void apply(HttpFields.Mutable headers) {
        for (String[] header : HEADERS) {
            headers.put(header[0], header[1]);
        }
    }

    static HttpConfiguration.Customizer customizer() {
        return (Request request, HttpFields.Mutable responseHeaders) -> {
            apply(responseHeaders);
            return request;
        };
    }
}
