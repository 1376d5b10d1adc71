package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.Placement;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker and a map of 8 shards, every one owned by n1 (n2 and n3 own none), per test; links and placements of
 * its nodes for fan-out tests. After each test it closes what it opened, publishers before links, then the broker.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TwoNodes nodes = new TwoNodes(OptionalInt.of(32 * 1024));   // the broker's max_payload, or empty: 1 MiB
 * }</pre>
 */
final class TwoNodes implements BeforeEachCallback, AfterEachCallback {
    static final int SHARDS = 8;
    static final Duration ARRIVAL = Duration.ofSeconds(5);

    private final OptionalInt maxPayload;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Path dir;
    private NatsProcess nats;
    private ShardMapFile map;

    TwoNodes(OptionalInt maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("loomlite-nats-");
        nats = NatsProcess.start(dir, maxPayload);
        map = map(nats.uri());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : opened.reversed()) {
                c.close();
            }
        } finally {
            if (nats != null) {
                nats.close();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    NatsProcess nats() {
        return nats;
    }

    private static ShardMapFile map(URI nats) {
        Map<String, ShardMapFile.Node> nodes = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            nodes.put(id, new ShardMapFile.Node(id, URI.create("http://127.0.0.1:" + NatsProcess.freePort()),
                    Optional.empty()));
        }
        List<ShardMapFile.Assignment> assignments = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            assignments.add(new ShardMapFile.Assignment(s, "n1", 1));
        }
        return new ShardMapFile(Path.of("test-map.json"), 1, SHARDS, List.of(nats), nodes, assignments);
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

    /** A listener following room "general" of shard 5 on n2. */
    RecordingListener following() {
        RecordingListener listener = new RecordingListener();
        keep(new RoomFeed(connected("n2"), placement("n2")).follow(5, "general", listener));
        return listener;
    }

    /** The owner's publisher, connected. */
    RoomPublisher owner() {
        return publisher(connected("n1"), "n1");
    }
}
