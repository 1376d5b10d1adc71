package dev.loomlite.server.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may open a WebSocket: the server's own and the configured allow-list. The server's own
 * origin is the one the client asked for: its scheme and the request's {@code Host}, or, behind a trusted proxy,
 * the forwarded scheme and host (see {@link ClientView}), so that behind TLS termination the page's
 * {@code https://chat.example} matches. An {@code https} origin of the same host is also accepted over plain HTTP
 * (a TLS-terminating proxy the server was not told about: the same site, served securely); an {@code http} origin
 * is refused when the client used HTTPS. Browsers always send {@code Origin} on a WebSocket upgrade, so this is
 * what stops another site's page from riding on a user's cookie; clients that send none (the JVM outbox, curl)
 * are let through and still need a valid session. Immutable.
 */
final class OriginPolicy {
    private final Set<String> allowed;

    /** @param allowed normalized {@code scheme://host[:port]} entries (see {@code ServerConfig}) */
    OriginPolicy(List<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    boolean allows(String origin, ClientView client) {
        if (origin == null) {
            return true;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (normalized.endsWith("/")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (allowed.contains(normalized)) {
            return true;
        }
        String own = normalized;
        return client.host().map(host -> sameOrigin(own, client.scheme(), host)).orElse(false);
    }

    private static boolean sameOrigin(String origin, String clientScheme, String host) {
        String scheme;
        if (origin.startsWith("http://")) {
            scheme = "http";
        } else if (origin.startsWith("https://")) {
            scheme = "https";
        } else {
            return false; // "null" (sandboxed frames, file: pages) and anything else
        }
        if (!scheme.equals(clientScheme) && !scheme.equals("https")) {
            return false; // an http page on a host the client reached over HTTPS
        }
        String authority = origin.substring(scheme.length() + 3);
        if (authority.isEmpty() || authority.contains("/") || authority.contains("@")) {
            return false;
        }
        return withoutDefaultPort(authority, scheme).equals(withoutDefaultPort(host, scheme));
    }

    private static String withoutDefaultPort(String authority, String scheme) {
        String defaultPort = scheme.equals("https") ? ":443" : ":80";
        return authority.endsWith(defaultPort) ? authority.substring(0, authority.length() - defaultPort.length()) : authority;
    }
}
