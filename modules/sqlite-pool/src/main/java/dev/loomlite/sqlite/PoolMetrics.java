package dev.loomlite.sqlite;

import java.util.List;

/**
 * A snapshot of the pool's counters, for dashboards and {@code /metrics}.
 *
 * <pre>{@code
 * for (PoolMetrics.Lane lane : pool.metrics().lanes()) {
 *     System.out.println(lane.database() + "/" + lane.kind() + " queued=" + lane.queueDepth());
 * }
 * }</pre>
 *
 * @param lanes       one entry per database and lane (read or write)
 * @param batches     group-commit batch sizes over all databases
 * @param checkpoints WAL checkpoint durations over all databases, in microseconds
 * @param workers     live worker threads
 * @param replacedWorkers workers replaced after they died
 */
public record PoolMetrics(List<Lane> lanes, Histogram batches, Histogram checkpoints, int workers, long replacedWorkers) {
    public PoolMetrics {
        lanes = List.copyOf(lanes);
    }

    /** Which kind of work a lane carries. */
    public enum Kind { READ, WRITE }

    /**
     * The counters of one database's read or write lane.
     *
     * @param database   the database name
     * @param kind       read or write
     * @param queueDepth tasks waiting now
     * @param completed  tasks that succeeded
     * @param failed     tasks that ran and failed
     * @param rejected   calls turned away by saturation or shutdown
     * @param timedOut   tasks whose deadline passed, queued or running
     * @param waitMicros time from submission to start, in microseconds
     * @param execMicros time running on the worker, in microseconds
     */
    public record Lane(String database, Kind kind, int queueDepth, long completed, long failed, long rejected,
                       long timedOut, Histogram waitMicros, Histogram execMicros) {
    }

    /**
     * A summary of recorded values.
     *
     * @param count how many values
     * @param sum   their sum
     * @param p50   the median, approximate
     * @param p99   the 99th percentile, approximate
     * @param max   the largest
     */
    public record Histogram(long count, long sum, long p50, long p99, long max) {
        /** No values recorded. */
        public static final Histogram EMPTY = new Histogram(0, 0, 0, 0, 0);

        /** The mean, or 0 with no values. */
        public double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }
    }
}
