package dev.loomlite.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How sessions start and end: a limit on sign-ins ({@code POST /api/session}) per client address, and how long
 * a session lives. A session ends when it has not been used for {@code idleTimeout} (each use renews it) or,
 * however much it is used, {@code maxAge} after its sign-in.
 *
 * <pre>{@code
 * ServerConfig.defaults().withSessions(SessionPolicy.defaults().withLifetime(Duration.ofDays(7), Duration.ofDays(30)));
 * }</pre>
 *
 * @param signInRate  sign-ins per minute one client address may make on average ({@code --sign-in-rate},
 *                    {@code LOOMLITE_SIGN_IN_RATE}), 1..10000; default 10
 * @param signInBurst sign-ins one client address may make at once before the rate applies
 *                    ({@code --sign-in-burst}, {@code LOOMLITE_SIGN_IN_BURST}), 1..10000; default 30
 * @param idleTimeout a session not used for this long ends ({@code --session-idle-days},
 *                    {@code LOOMLITE_SESSION_IDLE_DAYS}); 1 minute to 3650 days; default 30 days
 * @param maxAge      a session ends this long after its sign-in ({@code --session-max-age-days},
 *                    {@code LOOMLITE_SESSION_MAX_AGE_DAYS}); 1 minute to 3650 days; default 90 days
 */
public record SessionPolicy(int signInRate, int signInBurst, Duration idleTimeout, Duration maxAge) {
    private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    public SessionPolicy {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxAge, "maxAge");
        if (signInRate < 1 || signInRate > 10_000) {
            throw new IllegalArgumentException("signInRate must be between 1 and 10000 sign-ins/minute, was " + signInRate);
        }
        if (signInBurst < 1 || signInBurst > 10_000) {
            throw new IllegalArgumentException("signInBurst must be between 1 and 10000 sign-ins, was " + signInBurst);
        }
        // Each bound alone, not idle <= maxAge: flags are applied one by one, in any order. An idle timeout
        // above the maximum age is merely never reached.
        within("idleTimeout", idleTimeout);
        within("maxAge", maxAge);
    }

    private static void within(String field, Duration value) {
        if (value.compareTo(MIN_LIFETIME) < 0 || value.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException(field + " must be between 1 minute and 3650 days, was " + value);
        }
    }

    /** 10 sign-ins a minute per address after a burst of 30; sessions end after 30 idle days, or 90 days in all. */
    public static SessionPolicy defaults() {
        return new SessionPolicy(10, 30, Duration.ofDays(30), Duration.ofDays(90));
    }

    /** {@code rate} sign-ins per minute per client address on average, {@code burst} at once. */
    public SessionPolicy withSignInLimit(int rate, int burst) {
        return new SessionPolicy(rate, burst, idleTimeout, maxAge);
    }

    /** Sessions end after {@code idle} without use, and {@code maxAge} after sign-in in any case. */
    public SessionPolicy withLifetime(Duration idle, Duration maxAge) {
        return new SessionPolicy(signInRate, signInBurst, idle, maxAge);
    }
}
