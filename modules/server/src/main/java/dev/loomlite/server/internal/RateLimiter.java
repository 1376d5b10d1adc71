package dev.loomlite.server.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a user, a client address): {@code perSecond} tokens a second, at most {@code burst}
 * saved up, for at most {@code maxKeys} keys at once. Beyond that the least recently used key is forgotten, so
 * memory stays bounded whatever clients send. A forgotten key starts again with a full bucket; only a client that
 * controls more than {@code maxKeys} keys can provoke that, and such a client already has that many buckets.
 *
 * <p>Any request thread calls {@link #acquire}; one lock guards the map and every bucket. What it guards is a few
 * arithmetic operations and a linked-map update, far cheaper than the request around it.
 */
final class RateLimiter {
    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    /** Key → bucket in access order, eldest dropped beyond maxKeys; guarded by itself. */
    private final Map<String, Bucket> buckets;

    /**
     * @param perSecond tokens added per second (may be below one: 10 a minute is {@code 10 / 60.0})
     * @param burst     tokens a bucket holds at most, and starts with
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
                return size() > maxKeys;
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
            Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
            bucket.refill(now, tokensPerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / tokensPerNano)));
        }
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
