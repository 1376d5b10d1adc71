package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.Placement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

    private ThreeNodes(NatsProcess nats, List<NodeProcess> nodes) {
        this.nats = nats;
        this.nodes = nodes;
    }

    /** Starts the broker and the nodes (in parallel), each with {@code jvmFlags}; returns once all are healthy. */
    static ThreeNodes start(Path dir, List<String> jvmFlags) {
        NatsProcess nats = NatsProcess.start(dir);
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            int[] publicPorts = IntStream.range(0, 3).map(i -> NatsProcess.freePort()).toArray();
            int[] internalPorts = IntStream.range(0, 3).map(i -> NatsProcess.freePort()).toArray();
            Path map = dir.resolve("cluster.json");
            Files.writeString(map, map(nats, publicPorts, internalPorts));
            for (int i = 0; i < 3; i++) {
                nodes.add(NodeProcess.start("n" + (i + 1), publicPorts[i], dir.resolve("n" + (i + 1)), map, SHARDS, jvmFlags));
            }
            try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<NodeProcess>> healthy = nodes.stream().map(n -> starts.submit(n::awaitHealthy)).toList();
                for (Future<NodeProcess> f : healthy) {
                    f.get();
                }
            }
            return new ThreeNodes(nats, nodes);
        } catch (IOException e) {
            closeAll(nats, nodes);
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            closeAll(nats, nodes);
            throw new AssertionError("the cluster did not start: " + e.getMessage(), e);
        }
    }

    private static String map(NatsProcess nats, int[] publicPorts, int[] internalPorts) {
        StringBuilder json = new StringBuilder("{\"format\":1,\"version\":1,\"shards\":" + SHARDS + ",\"nats\":[\""
                + nats.uri() + "\"],\"nodes\":{");
        for (int i = 0; i < 3; i++) {
            json.append(i == 0 ? "" : ",").append("\"n").append(i + 1).append("\":{\"internal\":\"http://127.0.0.1:")
                    .append(internalPorts[i]).append("\",\"public\":\"http://127.0.0.1:").append(publicPorts[i]).append("\"}");
        }
        json.append("},\"assignments\":[");
        for (int s = 0; s < SHARDS; s++) {
            json.append(s == 0 ? "" : ",").append("{\"shard\":").append(s).append(",\"node\":\"n").append(s % 3 + 1)
                    .append("\",\"since\":1}");
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
