package dev.loomlite.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size latency histogram in microseconds with logarithmic buckets, like HdrHistogram with two
 * significant binary digits more than a percent: values below 64 µs are exact, larger ones fall in one of 32
 * buckets per power of two (at most 3.2 % wide). 1,088 buckets cover up to 2^37 µs (38 hours); 8.5 KiB,
 * allocated once, so recording allocates nothing. Any thread may record; the maximum is kept exactly.
 */
final class Histogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;          // 32 buckets per power of two
    private static final int LINEAR = SUB << 1;            // 0..63 µs exact
    private static final int MAX_EXPONENT = 37;
    static final int BUCKETS = LINEAR + (MAX_EXPONENT - SUB_BITS) * SUB;

    // Written by any recording thread, read by the reporting thread.
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    void recordNanos(long nanos) {
        recordMicros(Math.max(0, nanos / 1000));
    }

    void recordMicros(long micros) {
        counts.incrementAndGet(index(micros));
        long m = max.get();
        while (micros > m && !max.compareAndSet(m, micros)) {
            m = max.get();
        }
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) Math.max(0, micros);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int mantissa = (int) (micros >>> (exponent - SUB_BITS)); // SUB..2*SUB-1
        return LINEAR + (exponent - SUB_BITS - 1) * SUB + (mantissa - SUB);
    }

    /** The smallest value that falls in {@code index}. */
    static long lowest(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB + SUB_BITS + 1;
        long mantissa = (index - LINEAR) % SUB + SUB;
        return mantissa << (exponent - SUB_BITS);
    }

    /** The middle of bucket {@code index}, what quantiles report. */
    static long middle(int index) {
        long low = lowest(index);
        long next = index + 1 < BUCKETS ? lowest(index + 1) : low + 1;
        return low + (next - 1 - low) / 2;
    }

    long count() {
        long total = 0;
        for (int b = 0; b < BUCKETS; b++) {
            total += counts.get(b);
        }
        return total;
    }

    long count(int bucket) {
        return counts.get(bucket);
    }

    long maxMicros() {
        return max.get();
    }

    /** Adds {@code other}'s counts to this one (the caller makes sure no one records into {@code other} any more). */
    void add(Histogram other) {
        for (int b = 0; b < BUCKETS; b++) {
            long c = other.counts.get(b);
            if (c != 0) {
                counts.addAndGet(b, c);
            }
        }
        long m = other.max.get();
        long mine = max.get();
        while (m > mine && !max.compareAndSet(mine, m)) {
            mine = max.get();
        }
    }

    /** The value at quantile {@code q} (0..1) in µs, capped at the exact maximum; 0 when empty. */
    long quantileMicros(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts.get(b);
            if (seen >= rank) {
                return Math.min(middle(b), max.get());
            }
        }
        return max.get();
    }
}
