package dev.loomlite.chat.internal;

import dev.loomlite.chat.spi.Placement;
import java.util.Objects;
import java.util.Set;

/**
 * A cluster node's placement for tests: {@code node} owns {@code mine} of {@code shards} at {@code mapVersion};
 * "other" owns the rest; shards in {@code moved} came to this node after the first map (their file must exist).
 */
record NodePlacement(int shards, String nodeId, long mapVersion, Set<Integer> mine, Set<Integer> moved)
        implements Placement {
    static NodePlacement of(String node, long mapVersion, int shards, Integer... mine) {
        return new NodePlacement(shards, node, mapVersion, Set.of(mine), Set.of());
    }

    NodePlacement movedHere(Integer... shards) {
        return new NodePlacement(this.shards, nodeId, mapVersion, mine, Set.of(shards));
    }

    @Override
    public String owner(int shard) {
        Objects.checkIndex(shard, shards);
        return mine.contains(shard) ? nodeId : "other";
    }

    @Override
    public boolean mayCreate(int shard) {
        return !moved.contains(shard);
    }
}
