package dev.loomlite.chat.spi;

/**
 * Where a {@link RemoteFeed} and the anti-entropy probe hand what they learn about a followed room: implemented by
 * the engine's follower. Every method returns at once (it only queues), so callers may be a broker's dispatcher
 * thread.
 *
 * <pre>{@code
 * listener.published(run);                  // a run the owner published
 * listener.position(new RoomPosition(1, 42, 42));   // the owner's end, from a probe
 * }</pre>
 */
public interface FeedListener {
    /** A run of new messages the owner published: one room, one epoch, ascending gapless {@code seq}. */
    void published(CommittedBatch run);

    /** The owner's end of the room (anti-entropy): the follower catches up to it. */
    void position(RoomPosition latest);

    /** The follower's epoch, sent with probes ({@link RoomRef#clientEpoch()}). */
    long epoch();
}
