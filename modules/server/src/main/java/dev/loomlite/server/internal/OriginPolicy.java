package dev.loomlite.server.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may open a WebSocket: the server's own (the origin whose authority is the request's
 * {@code Host}) and the configured allow-list. Browsers always send {@code Origin} on a WebSocket upgrade,
 * so this is what stops another site's page from riding on a user's cookie; clients that send none (the JVM
 * outbox, curl) are let through and still need a valid session.
 */
final class OriginPolicy {
    private final Set<String> allowed;

    /** @param allowed normalized {@code scheme://host[:port]} entries (see {@code ServerConfig}) */
    OriginPolicy(List<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    boolean allows(String origin, String host) {
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
        return host != null && sameOrigin(normalized, host.strip().toLowerCase(Locale.ROOT));
    }

    private static boolean sameOrigin(String origin, String host) {
        String scheme;
        if (origin.startsWith("http://")) {
            scheme = "http";
        } else if (origin.startsWith("https://")) {
            scheme = "https";
        } else {
            return false; // "null" (sandboxed frames, file: pages) and anything else
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
