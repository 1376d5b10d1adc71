package dev.loomlite.chat.spi;

import java.util.Objects;

/**
 * How one node's chat engine fits into a cluster: which shards it owns, where its commits go, where it reads and
 * follows the rooms of other nodes. {@link #standalone} is a single server, exactly as without a cluster.
 *
 * <pre>{@code
 * NodeChat node = ChatNodes.open(config, pool, Topology.standalone(config.shards()));
 * }</pre>
 *
 * @param placement which node owns each shard
 * @param commits   where each committed batch goes beyond this node
 * @param remoteLog the history of rooms owned elsewhere
 * @param feed      the live commits of rooms owned elsewhere
 */
public record Topology(Placement placement, CommitSink commits, RoomLog remoteLog, RemoteFeed feed) {
    public Topology {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(commits, "commits");
        Objects.requireNonNull(remoteLog, "remoteLog");
        Objects.requireNonNull(feed, "feed");
    }

    /** One node that owns every one of {@code shards} shards. */
    public static Topology standalone(int shards) {
        return new Topology(Placement.standalone(shards), CommitSink.NONE, RoomLog.NONE, RemoteFeed.NONE);
    }
}
