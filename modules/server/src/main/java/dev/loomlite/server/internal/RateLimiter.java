package dev.loomlite.server.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a user): {@code rate} tokens a second, at most {@code burst} saved up. A key whose
 * bucket has refilled completely holds no information and is forgotten when the map grows.
 */
final class RateLimiter {
    private static final int SWEEP_ABOVE = 10_000;

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(int rate, int burst, LongSupplier nanoTime) {
        this.tokensPerNano = rate / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one token for {@code key}.
     *
     * @return empty when allowed, else how long until a token is available
     */
    Optional<Duration> acquire(String key) {
        if (buckets.size() > SWEEP_ABOVE) {
            sweep();
        }
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.refill(now, tokensPerNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / tokensPerNano)));
        }
    }

    private void sweep() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                bucket.refill(now, tokensPerNano, burst);
                return bucket.tokens >= burst;
            }
        });
    }

    /** Mutable state guarded by the bucket's own monitor. */
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
