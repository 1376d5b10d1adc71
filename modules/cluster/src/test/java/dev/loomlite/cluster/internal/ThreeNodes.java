package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.Placement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * A broker and three node JVMs on loopback sharing {@value #SHARDS} shards 4/4/4 (shard {@code s} on node
 * {@code n(s % 3 + 1)}), under one map of version 1, for the multi-process tests (docs/cluster-design.md §11.2).
 *
 * <pre>{@code
 * try (ThreeNodes cluster = ThreeNodes.start(dir, List.of())) { cluster.node(0).uri(); }
 * }</pre>
 */
final class ThreeNodes implements AutoCloseable {
    static final int SHARDS = 12;

    final NatsProcess nats;
    // Replaced by restart(); read by the test thread only.
    final List<NodeProcess> nodes;
    private final int[] publicPorts;
    private final int[] internalPorts;

    private ThreeNodes(NatsProcess nats, List<NodeProcess> nodes, int[] publicPorts, int[] internalPorts) {
        this.nats = nats;
        this.nodes = nodes;
        this.publicPorts = publicPorts;
        this.internalPorts = internalPorts;
    }

    /** Starts the broker and the nodes (in parallel), each with {@code jvmFlags}; returns once all are healthy. */
    static ThreeNodes start(Path dir, List<String> jvmFlags) {
        return start(dir, jvmFlags, List.of(), OptionalInt.empty());
    }

    /**
     * {@link #start(Path, List)} with extra server flags for every node ({@code serverArgs}) and a broker payload
     * limit.
     */
    static ThreeNodes start(Path dir, List<String> jvmFlags, List<String> serverArgs, OptionalInt maxPayload) {
        NatsProcess nats = NatsProcess.start(dir, maxPayload);
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            int[] publicPorts = IntStream.range(0, 3).map(i -> NatsProcess.freePort()).toArray();
            int[] internalPorts = IntStream.range(0, 3).map(i -> NatsProcess.freePort()).toArray();
            Path map = dir.resolve("cluster.json");
            Files.writeString(map, map(nats, publicPorts, internalPorts, 1, s -> s % 3, s -> 1L));
            for (int i = 0; i < 3; i++) {
                nodes.add(NodeProcess.start("n" + (i + 1), publicPorts[i], dir.resolve("n" + (i + 1)), map, SHARDS, jvmFlags,
                        serverArgs));
            }
            try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<NodeProcess>> healthy = nodes.stream().map(n -> starts.submit(n::awaitHealthy)).toList();
                for (Future<NodeProcess> f : healthy) {
                    f.get();
                }
            }
            return new ThreeNodes(nats, nodes, publicPorts, internalPorts);
        } catch (IOException e) {
            closeAll(nats, nodes);
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            closeAll(nats, nodes);
            throw new AssertionError("the cluster did not start: " + e.getMessage(), e);
        }
    }

    /** Writes a map of this cluster's nodes with another version and assignment (shard → node index, since). */
    Path writeMap(Path file, long version, IntUnaryOperator owner, IntToLongFunction since) {
        try {
            return Files.writeString(file, map(nats, publicPorts, internalPorts, version, owner, since));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String map(NatsProcess nats, int[] publicPorts, int[] internalPorts, long version,
            IntUnaryOperator owner, IntToLongFunction since) {
        StringBuilder json = new StringBuilder("{\"format\":1,\"version\":" + version + ",\"shards\":" + SHARDS
                + ",\"nats\":[\""
                + nats.uri() + "\"],\"nodes\":{");
        for (int i = 0; i < 3; i++) {
            json.append(i == 0 ? "" : ",").append("\"n").append(i + 1).append("\":{\"internal\":\"http://127.0.0.1:")
                    .append(internalPorts[i]).append("\",\"public\":\"http://127.0.0.1:").append(publicPorts[i]).append("\"}");
        }
        json.append("},\"assignments\":[");
        for (int s = 0; s < SHARDS; s++) {
            json.append(s == 0 ? "" : ",").append("{\"shard\":").append(s).append(",\"node\":\"n")
                    .append(owner.applyAsInt(s) + 1).append("\",\"since\":").append(since.applyAsLong(s)).append('}');
        }
        return json.append("]}").toString();
    }

    NodeProcess node(int index) {
        return nodes.get(index);
    }

    /** Starts node {@code index} again on its port and data and waits until it is healthy. */
    NodeProcess restart(int index) {
        NodeProcess again = nodes.get(index).restart();
        nodes.set(index, again);
        return again.awaitHealthy();
    }

    /** The index (0..2) of the node that is the home of the session whose cookie is {@code cookie}. */
    static int homeOf(String cookie) {
        try {
            String token = cookie.substring(cookie.indexOf('=') + 1);
            String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            return Placement.shardOf(hash, SHARDS) % 3;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The index (0..2) of the node that owns {@code roomId}'s shard. */
    static int ownerOf(String roomId) {
        return Placement.shardOf(roomId, SHARDS) % 3;
    }

    /** A room id in shard {@code shard}. */
    static String roomInShard(int shard) {
        return IntStream.range(0, 10_000).mapToObj(i -> "room-" + i).filter(r -> Placement.shardOf(r, SHARDS) == shard)
                .findFirst().orElseThrow();
    }

    /** A room id whose owner is node {@code index} (0..2), the {@code n}th such. */
    static String roomOwnedBy(int index, int n) {
        return IntStream.range(0, 10_000).mapToObj(i -> "room-" + i).filter(r -> ownerOf(r) == index).skip(n)
                .findFirst().orElseThrow();
    }

    @Override
    public void close() {
        closeAll(nats, nodes);
    }

    private static void closeAll(NatsProcess nats, List<NodeProcess> nodes) {
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            nodes.forEach(n -> stops.submit(n::close));
        }
        nats.close();
    }
}
