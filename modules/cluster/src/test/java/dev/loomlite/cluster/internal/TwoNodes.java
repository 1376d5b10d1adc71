package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.Placement;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A map of 8 shards, every one owned by n1 (n2 and n3 own none), over one broker; links and placements of its nodes
 * for fan-out tests. Closes what it opened, publishers before links.
 */
final class TwoNodes implements AutoCloseable {
    static final int SHARDS = 8;
    static final Duration ARRIVAL = Duration.ofSeconds(5);

    private final ShardMapFile map;
    private final List<AutoCloseable> opened = new ArrayList<>();

    TwoNodes(URI nats) {
        Map<String, ShardMapFile.Node> nodes = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            nodes.put(id, new ShardMapFile.Node(id, URI.create("http://127.0.0.1:" + NatsProcess.freePort()),
                    Optional.empty()));
        }
        List<ShardMapFile.Assignment> assignments = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            assignments.add(new ShardMapFile.Assignment(s, "n1", 1));
        }
        map = new ShardMapFile(Path.of("test-map.json"), 1, SHARDS, List.of(nats), nodes, assignments);
    }

    Placement placement(String node) {
        return new MapPlacement(map, node);
    }

    /** A link of {@code node}; not waited for. */
    NatsLink link(String node) {
        return keep(NatsLink.connect(new NatsLink.Settings(map.nats(), node, Duration.ofMillis(100))));
    }

    /** A link of {@code node} that is connected. */
    NatsLink connected(String node) {
        NatsLink link = link(node);
        awaitConnected(link);
        return link;
    }

    static void awaitConnected(NatsLink link) {
        Eventually.within(ARRIVAL, () -> link.state() == NatsLink.State.CONNECTED, () -> "link " + link.state());
    }

    RoomPublisher publisher(NatsLink link, String node) {
        return keep(RoomPublisher.start(link, placement(node)));
    }

    <T extends AutoCloseable> T keep(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }
}
