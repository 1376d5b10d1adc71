package dev.loomlite.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram with 1 µs buckets up to 1 s (8 MiB, allocated once, before a measured phase starts, so
 * recording allocates nothing and does not disturb heap measurements). Any thread may record.
 */
final class Latencies {
    private static final int BUCKETS = 1_000_001; // µs 0..999_999, and one for everything slower
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long nanos) {
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nanos / 1000)));
    }

    Summary summary() {
        long total = 0;
        int max = 0;
        for (int b = 0; b < BUCKETS; b++) {
            long c = counts.get(b);
            total += c;
            if (c > 0) {
                max = b;
            }
        }
        return new Summary(total, micros(total, 0.50), micros(total, 0.99), max);
    }

    private long micros(long total, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts.get(b);
            if (seen >= rank) {
                return b;
            }
        }
        return BUCKETS - 1;
    }

    record Summary(long count, long p50Micros, long p99Micros, long maxMicros) {
        String format() {
            return "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms".formatted(count, p50Micros / 1e3, p99Micros / 1e3, maxMicros / 1e3);
        }
    }
}
