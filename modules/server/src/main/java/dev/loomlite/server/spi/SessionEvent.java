package dev.loomlite.server.spi;

import java.util.Objects;

/**
 * A change of a session that every node must learn: broadcast by its home (at most once; a node's cache lifetime
 * bounds what a lost event costs).
 *
 * <pre>{@code
 * homes.publish(new SessionEvent(SessionEvent.Kind.REVOKED, hash, userId, "n1"));
 * }</pre>
 */
public record SessionEvent(Kind kind, String tokenHash, String userId, String node) {
    public enum Kind { REVOKED, RENAMED }

    public SessionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(node, "node");
    }
}
