package dev.loomlite.server.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a user, a client address): {@code perSecond} tokens a second, at most {@code burst}
 * saved up, for at most {@code maxKeys} keys at once. Beyond that the least recently used key is forgotten, so
 * memory stays bounded whatever clients send.
 *
 * <p>A forgotten key must not come back with a full bucket: a client with more keys than {@code maxKeys} (an IPv6
 * /48 holds 65,536 /64s) could otherwise cycle through them and get a full burst on each return. The limiter
 * cannot tell a returning key from a new one, so it bounds what any new key may have had: every forgotten key was
 * last used no later than {@code forgottenUpTo} (the least recently used goes first), and if it had been kept its
 * bucket would have refilled by at most {@code (now - forgottenUpTo) * perSecond} since, from empty at worst. A new
 * key starts with that much, but never less than {@value #NEW_KEY_FLOOR} tokens (so a client never seen before
 * still gets in during a flood of others) nor more than {@code burst}. While no key was ever forgotten, or once
 * every forgotten one would have refilled anyway, a new key starts with a full burst, as before.
 *
 * <p>Any request thread calls {@link #acquire}; one lock guards the map and every bucket. What it guards is a few
 * arithmetic operations and a linked-map update, far cheaper than the request around it.
 */
final class RateLimiter {
    /** Tokens a new key gets at least, when {@code burst} allows (see the class comment). */
    static final int NEW_KEY_FLOOR = 3;

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    /** Key → bucket in access order, eldest dropped beyond maxKeys; guarded by itself. */
    private final Map<String, Bucket> buckets;
    /** The last use of the most recently forgotten bucket, {@link Long#MIN_VALUE} if none; guarded by buckets. */
    private long forgottenUpTo = Long.MIN_VALUE;

    /**
     * @param perSecond tokens added per second (may be below one: 10 a minute is {@code 10 / 60.0})
     * @param burst     tokens a bucket holds at most, and starts with (see the class comment for new keys)
     * @param maxKeys   keys remembered at most
     * @param nanoTime  a monotonic clock ({@code System::nanoTime})
     */
    RateLimiter(double perSecond, int burst, int maxKeys, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("rate (" + perSecond + "/s), burst (" + burst + ") and maxKeys (" + maxKeys
                    + ") must be positive");
        }
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                if (size() <= maxKeys) {
                    return false;
                }
                forgottenUpTo = Math.max(forgottenUpTo, eldest.getValue().updated);
                return true;
            }
        };
    }

    /**
     * Takes one token for {@code key}.
     *
     * @return empty when allowed, else how long until a token is available
     */
    Optional<Duration> acquire(String key) {
        long now = nanoTime.getAsLong();
        synchronized (buckets) {
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                bucket = new Bucket(startingTokens(now), now);
                buckets.put(key, bucket);
            }
            bucket.refill(now, tokensPerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / tokensPerNano)));
        }
    }

    /**
     * Gives back a token {@link #acquire} took for {@code key}, when what it was taken for did not happen after all
     * (another limit refused the request). Never beyond the burst; nothing when the key was forgotten meanwhile.
     */
    void refund(String key) {
        synchronized (buckets) {
            Bucket bucket = buckets.get(key);
            if (bucket != null) {
                bucket.tokens = Math.min(burst, bucket.tokens + 1);
            }
        }
    }

    /** What a key not remembered starts with now (see the class comment); called under the lock. */
    private double startingTokens(long now) {
        if (forgottenUpTo == Long.MIN_VALUE) {
            return burst;
        }
        double refilled = Math.max(0, now - forgottenUpTo) * tokensPerNano;
        return Math.min(burst, Math.max(NEW_KEY_FLOOR, refilled));
    }

    /** Keys remembered now (at most {@code maxKeys}). */
    int size() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /** Mutable state guarded by the limiter's lock. */
    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }

        void refill(long now, double tokensPerNano, double burst) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (now - updated) * tokensPerNano);
                updated = now;
            }
        }
    }
}
