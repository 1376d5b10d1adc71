package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free log-linear histogram of non-negative longs: exact below 8, then four buckets per power of two,
 * so percentiles are within 25%. Any thread records; any thread takes a snapshot (not atomic across fields).
 */
final class LogHistogram {
    private static final int LINEAR = 8;
    private static final int SUB_BITS = 2;
    private static final int BUCKETS = LINEAR + (64 - 3) * (1 << SUB_BITS);

    // All fields: written by recording threads (workers, callers in direct mode), read by snapshot takers.
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder sum = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(index(v));
        sum.add(v);
        long m = max.get();
        while (v > m && !max.compareAndSet(m, v)) {
            m = max.get();
        }
    }

    PoolMetrics.Histogram snapshot() {
        long[] copy = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
            total += copy[i];
        }
        if (total == 0) {
            return PoolMetrics.Histogram.EMPTY;
        }
        long top = max.get();
        return new PoolMetrics.Histogram(total, sum.sum(), Math.min(top, percentile(copy, total, 0.50)),
                Math.min(top, percentile(copy, total, 0.99)), top);
    }

    private static long percentile(long[] copy, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < copy.length; i++) {
            seen += copy[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(copy.length - 1);
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v); // >= 3
        int sub = (int) (v >>> (exp - SUB_BITS)) & ((1 << SUB_BITS) - 1);
        return LINEAR + (exp - 3) * (1 << SUB_BITS) + sub;
    }

    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exp = (index - LINEAR) / (1 << SUB_BITS) + 3;
        int sub = (index - LINEAR) % (1 << SUB_BITS);
        long lower = ((long) ((1 << SUB_BITS) + sub)) << (exp - SUB_BITS);
        return lower + (1L << (exp - SUB_BITS)) - 1;
    }
}
