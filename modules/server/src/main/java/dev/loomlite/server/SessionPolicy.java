package dev.loomlite.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How sessions start and end: limits on sign-ins ({@code POST /api/session}), per client address and for the whole
 * server, and how long a session lives. A session ends when it has not been used for {@code idleTimeout} (each use
 * renews it), {@code maxAge} after its sign-in however much it is used, and already {@code unusedTimeout} after its
 * sign-in when nothing but the sign-in (or a rename) ever used it.
 *
 * <pre>{@code
 * ServerConfig.defaults().withSessions(SessionPolicy.defaults().withLifetime(Duration.ofDays(7), Duration.ofDays(30)));
 * }</pre>
 *
 * @param signInRate        sign-ins per minute one client address may make on average ({@code --sign-in-rate},
 *                          {@code LOOMLITE_SIGN_IN_RATE}), 1..10000; default 60
 * @param signInBurst       sign-ins one client address may make at once before the rate applies
 *                          ({@code --sign-in-burst}, {@code LOOMLITE_SIGN_IN_BURST}), 1..10000; default 300
 * @param globalSignInRate  sign-ins per second the whole server accepts on average, all addresses together
 *                          ({@code --global-sign-in-rate}, {@code LOOMLITE_GLOBAL_SIGN_IN_RATE}), 1..100000; default 50
 * @param globalSignInBurst sign-ins the whole server accepts at once before that rate applies
 *                          ({@code --global-sign-in-burst}, {@code LOOMLITE_GLOBAL_SIGN_IN_BURST}), 1..1000000;
 *                          default 500
 * @param unusedTimeout     a session that no request but its sign-in ever used ends this long after the sign-in
 *                          ({@code --session-unused-hours}, {@code LOOMLITE_SESSION_UNUSED_HOURS}); 1 minute to 3650
 *                          days; default 1 day
 * @param idleTimeout       a session not used for this long ends ({@code --session-idle-days},
 *                          {@code LOOMLITE_SESSION_IDLE_DAYS}); 1 minute to 3650 days; default 30 days
 * @param maxAge            a session ends this long after its sign-in ({@code --session-max-age-days},
 *                          {@code LOOMLITE_SESSION_MAX_AGE_DAYS}); 1 minute to 3650 days; default 90 days
 */
public record SessionPolicy(int signInRate, int signInBurst, int globalSignInRate, int globalSignInBurst,
                            Duration unusedTimeout, Duration idleTimeout, Duration maxAge) {
    private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    private static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    public SessionPolicy {
        Objects.requireNonNull(unusedTimeout, "unusedTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxAge, "maxAge");
        if (signInRate < 1 || signInRate > 10_000) {
            throw new IllegalArgumentException("signInRate must be between 1 and 10000 sign-ins/minute, was " + signInRate);
        }
        if (signInBurst < 1 || signInBurst > 10_000) {
            throw new IllegalArgumentException("signInBurst must be between 1 and 10000 sign-ins, was " + signInBurst);
        }
        if (globalSignInRate < 1 || globalSignInRate > 100_000) {
            throw new IllegalArgumentException("globalSignInRate must be between 1 and 100000 sign-ins/s, was "
                    + globalSignInRate);
        }
        if (globalSignInBurst < 1 || globalSignInBurst > 1_000_000) {
            throw new IllegalArgumentException("globalSignInBurst must be between 1 and 1000000 sign-ins, was "
                    + globalSignInBurst);
        }
        // Each bound alone, not unused <= idle <= maxAge: flags are applied one by one, in any order. A timeout
        // above the maximum age (or an unused timeout above the idle one) is merely never reached.
        within("unusedTimeout", unusedTimeout);
        within("idleTimeout", idleTimeout);
        within("maxAge", maxAge);
    }

    private static void within(String field, Duration value) {
        if (value.compareTo(MIN_LIFETIME) < 0 || value.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException(field + " must be between 1 minute and 3650 days, was " + value);
        }
    }

    /**
     * 60 sign-ins a minute per address after a burst of 300, 50 a second for the whole server after a burst of 500;
     * sessions end a day after sign-in if never used, after 30 idle days, or 90 days in all.
     *
     * <p>The per-address burst lets a 200-person office behind one NAT address all sign in at 9:00 (with room for
     * second browsers and renames), and refills in five minutes. The abuse bound is the server-wide bucket: one
     * address alone can create at most about 87,000 sessions a day, and sessions never used end after a day.
     */
    public static SessionPolicy defaults() {
        return new SessionPolicy(60, 300, 50, 500, Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(90));
    }

    /** {@code rate} sign-ins per minute per client address on average, {@code burst} at once. */
    public SessionPolicy withSignInLimit(int rate, int burst) {
        return new SessionPolicy(rate, burst, globalSignInRate, globalSignInBurst, unusedTimeout, idleTimeout, maxAge);
    }

    /** {@code rate} sign-ins per second for the whole server on average, {@code burst} at once. */
    public SessionPolicy withGlobalSignInLimit(int rate, int burst) {
        return new SessionPolicy(signInRate, signInBurst, rate, burst, unusedTimeout, idleTimeout, maxAge);
    }

    /** Sessions end after {@code idle} without use, and {@code maxAge} after sign-in in any case. */
    public SessionPolicy withLifetime(Duration idle, Duration maxAge) {
        return new SessionPolicy(signInRate, signInBurst, globalSignInRate, globalSignInBurst, unusedTimeout, idle, maxAge);
    }

    /** A session that nothing but its sign-in used ends {@code unused} after the sign-in. */
    public SessionPolicy withUnusedTimeout(Duration unused) {
        return new SessionPolicy(signInRate, signInBurst, globalSignInRate, globalSignInBurst, unused, idleTimeout, maxAge);
    }
}
