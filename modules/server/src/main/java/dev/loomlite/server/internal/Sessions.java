package dev.loomlite.server.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a session cookie belongs to: sign-in, look-up, rename and sign-out. One node answers from its own database
 * ({@link SessionStore}); a node of a cluster asks each session's home node and caches the answers.
 *
 * <pre>{@code
 * Sessions sessions = SessionStore.open(pool, policy, clock);
 * Sessions.SignedIn signedIn = sessions.signIn("Alice");        // the token goes into the cookie
 * if (sessions.find(cookie) instanceof Sessions.Active active) { ... active.user() ... }
 * }</pre>
 *
 * Thread-safe: called by request and WebSocket threads.
 */
interface Sessions {
    /** A signed-in user: the id every message is attributed to, and the display name. */
    record User(String userId, String name) {
        public User {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A new session: the token for the cookie (shown once, never stored) and its user. */
    record SignedIn(String token, User user) {
    }

    /** What a presented token is worth now. */
    sealed interface Lookup {
    }

    /** A live session; {@code left} is the time until its maximum age, for the cookie's lifetime. */
    record Active(User user, Duration left) implements Lookup {
    }

    /** A session that ended by time; {@code reason} names the limit, for the client. */
    record Expired(String reason) implements Lookup {
    }

    /** No token, a malformed one, or one the server does not know (never issued, signed out, purged). */
    record Unknown() implements Lookup {
    }

    /**
     * The session's home node did not answer and nothing fresh enough is cached: the request is answered 503 and the
     * client retries, never signs in again (which would make it another user). Never produced by a single server.
     */
    record Unavailable() implements Lookup {
    }

    /** Signs a new user in: creates a user with a fresh id and a session for it, not used yet. */
    SignedIn signIn(String name);

    /** What {@code token} is worth now; an active session counts as used (and is renewed when due). */
    default Lookup find(String token) {
        return lookup(token, true);
    }

    /** What {@code token} is worth now, without counting as a use (a sign-in that presents it, to rename). */
    default Lookup peek(String token) {
        return lookup(token, false);
    }

    /** {@link #find} ({@code use}) or {@link #peek}. */
    Lookup lookup(String token, boolean use);

    /** Whether {@code token} was signed out rather than never valid, expired or purged. */
    boolean signedOut(String token);

    /**
     * Renames the session's user in place (same token, user id, sign-in time and use).
     *
     * @return the renamed user, or empty when the session was signed out or purged meanwhile
     */
    Optional<User> rename(String token, String name);

    /** Signs the session of {@code token}, the user {@code userId}'s, out, everywhere and for good. */
    void revoke(String token, String userId);
}
