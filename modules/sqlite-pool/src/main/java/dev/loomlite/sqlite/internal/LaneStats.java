package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolMetrics;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one database lane; recorded by whichever thread finishes a task, read by snapshot takers. */
final class LaneStats {
    // All fields: written by workers, callers (rejections, queued timeouts) and direct-mode callers; read by metrics().
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    final LogHistogram waitMicros = new LogHistogram();
    final LogHistogram execMicros = new LogHistogram();

    PoolMetrics.Lane snapshot(String database, PoolMetrics.Kind kind, int depth) {
        return new PoolMetrics.Lane(database, kind, depth, completed.sum(), failed.sum(), rejected.sum(),
                timedOut.sum(), waitMicros.snapshot(), execMicros.snapshot());
    }
}
