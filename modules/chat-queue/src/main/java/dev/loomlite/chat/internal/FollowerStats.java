package dev.loomlite.chat.internal;

import dev.loomlite.chat.spi.FollowerMetrics;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** The counters of every {@link FollowedRoom} of a service; updated by their loops and feed threads, read by metrics. */
final class FollowerStats {
    final LongAdder gaps = new LongAdder();
    final LongAdder repairs = new LongAdder();
    final LongAdder failedRepairs = new LongAdder();
    final LongAccumulator maxRepairMillis = new LongAccumulator(Math::max, 0);
    final LongAdder epochResets = new LongAdder();
    final LongAdder foreign = new LongAdder();
    final LongAdder lostEvents = new LongAdder();

    FollowerMetrics snapshot(int followedRooms) {
        return new FollowerMetrics(followedRooms, gaps.sum(), repairs.sum(), failedRepairs.sum(), maxRepairMillis.get(),
                epochResets.sum(), foreign.sum(), lostEvents.sum());
    }
}
