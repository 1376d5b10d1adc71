package dev.loomlite.chat.spi;

/**
 * How this node's followers of rooms owned elsewhere fare: for {@code /metrics}.
 *
 * <pre>{@code
 * FollowerMetrics f = node.followers();
 * long repaired = f.repairs();
 * }</pre>
 *
 * @param followedRooms  rooms followed now (each has local subscribers, or had them less than the linger ago)
 * @param gaps           runs that arrived after a missing seq (a publish the broker lost)
 * @param repairs        reads from an owner that bridged a gap or caught up to a probed position
 * @param failedRepairs  such reads that failed (the next probe retries)
 * @param maxRepairMillis the longest time from noticing a gap (or a probe's newer end) to offering what filled it
 * @param epochResets    times a followed room's epoch rose, which closed its subscribers
 * @param foreign        payloads dropped because they came from a node that does not own the room's shard
 * @param lostEvents     feed events dropped because a follower's inbox was full (it then asks its owner)
 */
public record FollowerMetrics(long followedRooms, long gaps, long repairs, long failedRepairs, long maxRepairMillis,
                              long epochResets, long foreign, long lostEvents) {
}
