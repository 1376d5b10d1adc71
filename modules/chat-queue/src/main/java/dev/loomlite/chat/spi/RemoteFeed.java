package dev.loomlite.chat.spi;

/**
 * Live commits of rooms owned by other nodes, as their owners publish them (core NATS in the cluster module): at most
 * once, possibly with gaps, which the engine's follower repairs from the owner ({@link RoomLog}).
 *
 * <pre>{@code
 * try (Follow follow = feed.follow(shard, "general", listener)) {
 *     ...   // listener.published(run) for every run the broker delivers
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RemoteFeed {
    /** No feed: a single node owns every room and follows none, so this is never called there. */
    RemoteFeed NONE = (shard, roomId, listener) -> {
        throw new IllegalStateException("no remote feed on this node: room '" + roomId + "' of shard " + shard
                + " cannot be followed");
    };

    /**
     * Starts delivering the room's published commits to {@code listener}. Returns once the broker confirmed the
     * subscription, or after about a second if it did not (the follower then relies on {@link RoomLog#position}).
     * Never throws for a broker outage.
     */
    Follow follow(int shard, String roomId, FeedListener listener);
}
