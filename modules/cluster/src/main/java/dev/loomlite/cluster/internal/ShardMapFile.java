package dev.loomlite.cluster.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster's shard map (format 1, docs/cluster-design.md §5), read and validated once at start: which node owns each
 * shard since which map version, where each node's internal routes listen and which NATS servers carry the fan-out.
 * Immutable. A node starts only with a map that names it and has its {@code --shards}.
 *
 * <pre>{@code
 * ShardMapFile map = ShardMapFile.read(Path.of("cluster-map.json")).requireMember(12, "n1");
 * String owner = map.assignment(5).node();
 * }</pre>
 *
 * @param file        where it was read from (named in every error)
 * @param version     the map's version, from 1; a shard moved at version V has {@code since == V}
 * @param shards      the shard count, 1..64
 * @param nats        the NATS servers, {@code nats://host:port}, at least one
 * @param nodes       the nodes by id, in the file's order
 * @param assignments one per shard, at index {@code shard}
 */
record ShardMapFile(Path file, long version, int shards, List<URI> nats, Map<String, Node> nodes,
                    List<Assignment> assignments) {

    /** The format this code reads; a map of another format is refused. */
    static final int FORMAT = 1;

    ShardMapFile {
        Objects.requireNonNull(file, "file");
        nats = List.copyOf(nats);
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        assignments = List.copyOf(assignments);
    }

    /**
     * Reads and validates a map file.
     *
     * @throws IllegalArgumentException naming the file and the field when the file is unreadable, not JSON, has an
     *                                  unknown field or breaks a rule of §5
     */
    static ShardMapFile read(Path file) {
        return ShardMapReader.read(file);
    }

    /**
     * Checks that this map fits the node that is starting with it: the same shard count as {@code --shards}, and the
     * node among the map's nodes.
     *
     * @return this map
     * @throws IllegalArgumentException naming the file and the field that disagrees
     */
    ShardMapFile requireMember(int expectedShards, String nodeId) {
        if (shards != expectedShards) {
            throw new IllegalArgumentException("cluster map " + file + ": shards is " + shards
                    + " but this node runs with --shards " + expectedShards + ": every node needs the same count");
        }
        if (!nodes.containsKey(nodeId)) {
            throw new IllegalArgumentException("cluster map " + file + ": nodes has no node '" + nodeId
                    + "' (--node-id); it has " + nodes.keySet());
        }
        return this;
    }

    /** The assignment of {@code shard} (0 ≤ shard &lt; {@link #shards()}). */
    Assignment assignment(int shard) {
        return assignments.get(Objects.checkIndex(shard, shards));
    }

    /**
     * A node of the map.
     *
     * @param id       its id, {@code [a-z0-9][a-z0-9-]{0,31}}
     * @param internal its internal routes, {@code http://host:port}
     * @param external its public address, for tools only ({@code "public"} in the file)
     */
    record Node(String id, URI internal, Optional<URI> external) {
        Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(internal, "internal");
            Objects.requireNonNull(external, "external");
        }
    }

    /**
     * Which node owns a shard, and since which map version.
     *
     * @param shard the shard
     * @param node  its owner's id
     * @param since the map version from which that node owns it: 1 means from the start, so its file may be created
     */
    record Assignment(int shard, String node, long since) {
        Assignment {
            Objects.requireNonNull(node, "node");
        }
    }
}
