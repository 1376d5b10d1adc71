package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.Placement;
import java.util.Objects;

/**
 * The engine's {@link Placement} on a cluster node: owners and map version from the node's {@link ShardMapFile}.
 * Immutable, thread-safe.
 *
 * <pre>{@code
 * Placement placement = new MapPlacement(ShardMapFile.read(file).requireMember(12, "n1"), "n1");
 * boolean local = placement.owns(Placement.shardOf("general", placement.shards()));
 * }</pre>
 */
final class MapPlacement implements Placement {
    private final ShardMapFile map;
    private final String nodeId;

    /** @throws IllegalArgumentException when {@code nodeId} is not a node of the map */
    MapPlacement(ShardMapFile map, String nodeId) {
        this.map = map.requireMember(map.shards(), Objects.requireNonNull(nodeId, "nodeId"));
        this.nodeId = nodeId;
    }

    @Override
    public int shards() {
        return map.shards();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public long mapVersion() {
        return map.version();
    }

    @Override
    public String owner(int shard) {
        return map.assignment(shard).node();
    }

    /** Only a shard assigned from the first map on may start empty: a moved shard must arrive as its owner's file. */
    @Override
    public boolean mayCreate(int shard) {
        return map.assignment(shard).since() == 1;
    }

    @Override
    public String toString() {
        return "MapPlacement(node " + nodeId + ", map " + map.file() + " version " + map.version() + ", "
                + map.shards() + " shards)";
    }
}
