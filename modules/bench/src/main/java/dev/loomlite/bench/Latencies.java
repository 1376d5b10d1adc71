package dev.loomlite.bench;

import java.util.Arrays;

/** Records latencies in nanoseconds from many threads (each thread its own slice) and reports percentiles. */
final class Latencies {
    private final long[][] perCaller;
    private final int[] counts;

    Latencies(int callers, int capacityEach) {
        perCaller = new long[callers][capacityEach];
        counts = new int[callers];
    }

    /** Called only by caller {@code index}'s own thread. */
    void record(int index, long nanos) {
        if (counts[index] < perCaller[index].length) {
            perCaller[index][counts[index]++] = nanos;
        }
    }

    /** Read after every caller finished (the latch that joined them orders the writes before this). */
    Summary summary() {
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < perCaller.length; c++) {
            System.arraycopy(perCaller[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        return new Summary(total, pct(all, 0.50), pct(all, 0.99), total == 0 ? 0 : all[total - 1]);
    }

    private static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    record Summary(int count, long p50Nanos, long p99Nanos, long maxNanos) {
        String format() {
            return "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms".formatted(count, p50Nanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6);
        }
    }
}
