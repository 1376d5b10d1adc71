package dev.loomlite.server;

import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.Follow;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.chat.spi.RemoteFeed;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.chat.spi.Topology;
import dev.loomlite.server.spi.Cluster;
import dev.loomlite.server.spi.ClusterProvider;
import dev.loomlite.server.spi.ClusterSettings;
import dev.loomlite.server.spi.ForwardedSend;
import dev.loomlite.server.spi.Forwarder;
import dev.loomlite.server.spi.HomeAnswer;
import dev.loomlite.server.spi.HomeUnavailableException;
import dev.loomlite.server.spi.Relayed;
import dev.loomlite.server.spi.SessionEvent;
import dev.loomlite.server.spi.SessionHomes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A cluster of two nodes seen from node "n1", which owns shard 0 of 2; "n2" owns shard 1 and is played by this fake:
 * sends to its rooms are answered by {@link #answers}, its history is empty or unavailable ({@link #ownerDown}), its
 * sessions live in {@link #homes}.
 * The provider the server finds instead of the cluster module's.
 */
final class FakeCluster implements ClusterProvider, Cluster, Forwarder, RoomLog, RemoteFeed {
    static final String TOKEN = "cluster-token-0123456789-abcdefghijkl";
    static final int SHARDS = 2;

    // Set by tests before they send; read by request threads.
    volatile Function<ForwardedSend, Relayed> answers = send -> Relayed.notStored();
    volatile boolean ownerDown;
    // What reached the forwarder, by request threads.
    final List<ForwardedSend> forwarded = new CopyOnWriteArrayList<>();
    volatile ClusterSettings opened;
    final FakeHomes homes = new FakeHomes();
    // What the server gave start(): how a test plays a broadcast from n2.
    volatile Consumer<SessionEvent> sessionEvents;

    /** A room id whose shard is {@code shard} of 2. */
    static String roomIn(int shard) {
        return roomIn(shard, 0);
    }

    /** The {@code n}th room id (from 0) whose shard is {@code shard} of 2. */
    static String roomIn(int shard, int n) {
        return IntStream.range(0, 1000).mapToObj(i -> "room-" + i)
                .filter(room -> Placement.shardOf(room, SHARDS) == shard).skip(n).findFirst().orElseThrow();
    }

    /** A server config that makes this server node n1 of this cluster. */
    static ServerConfig node(Path data) {
        return ServerConfig.defaults().withPort(0).withDataDir(data).withShards(SHARDS).withCluster(
                ClusterOptions.none().withMapFile(data.resolve("cluster.json")).withNodeId("n1").withToken(TOKEN));
    }

    @Override
    public Cluster open(ClusterSettings settings) {
        opened = settings;
        return this;
    }

    @Override
    public Topology topology() {
        Placement placement = new Placement() {
            @Override
            public int shards() {
                return SHARDS;
            }

            @Override
            public String nodeId() {
                return "n1";
            }

            @Override
            public long mapVersion() {
                return 1;
            }

            @Override
            public String owner(int shard) {
                return shard == 0 ? "n1" : "n2";
            }

            @Override
            public boolean mayCreate(int shard) {
                return true;
            }
        };
        return new Topology(placement, CommitSink.NONE, this, this);
    }

    @Override
    public InetSocketAddress internalAddress() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public Forwarder forwarder() {
        return this;
    }

    @Override
    public Relayed send(int shard, String roomId, ForwardedSend send) {
        forwarded.add(send);
        return answers.apply(send);
    }

    @Override
    public HistoryPage read(int shard, String roomId, HistoryQuery query) {
        requireUp();
        return new HistoryPage(List.of(), false);
    }

    @Override
    public RoomPosition position(int shard, String roomId, long clientEpoch) {
        requireUp();
        return new RoomPosition(1, 0, 0);
    }

    @Override
    public List<RoomPosition.Named> positions(List<RoomRef> rooms) {
        requireUp();
        return rooms.stream().map(r -> new RoomPosition.Named(r.roomId(), new RoomPosition(1, 0, 0))).toList();
    }

    @Override
    public List<RoomInfo> rooms() {
        return ownerDown ? List.of() : List.of(new RoomInfo(roomIn(1), 7));
    }

    private void requireUp() {
        if (ownerDown) {
            throw new OwnerUnavailableException("node n2 did not answer", Duration.ofSeconds(1), null);
        }
    }

    @Override
    public Follow follow(int shard, String roomId, dev.loomlite.chat.spi.FeedListener listener) {
        return () -> { };
    }

    @Override
    public SessionHomes sessions() {
        return homes;
    }

    /** The sessions homed on n2, in memory; n1's are the server's own. */
    final class FakeHomes implements SessionHomes {
        // Token hash → what n2 says of it; written by request threads and tests.
        final Map<String, HomeAnswer> sessions = new ConcurrentHashMap<>();
        final AtomicInteger lookups = new AtomicInteger();
        final List<SessionEvent> published = new CopyOnWriteArrayList<>();
        // Set by a test: n2 does not answer.
        volatile boolean down;

        @Override
        public boolean isLocal(String tokenHash) {
            return Placement.shardOf(tokenHash, SHARDS) == 0;
        }

        @Override
        public Map<String, HomeAnswer> lookup(Collection<String> tokenHashes, boolean use) {
            lookups.incrementAndGet();
            if (down) {
                return Map.of();
            }
            Map<String, HomeAnswer> answers = new HashMap<>();
            tokenHashes.forEach(h -> answers.put(h, sessions.getOrDefault(h, new HomeAnswer.Unknown())));
            return answers;
        }

        @Override
        public HomeAnswer create(String tokenHash, String userId, String name) {
            requireUp();
            sessions.put(tokenHash, new HomeAnswer.Active(userId, name, Duration.ofDays(30).toMillis()));
            // As the real client: a change's answer names the user but carries no lifetime.
            return new HomeAnswer.Active(userId, name, 0);
        }

        @Override
        public HomeAnswer rename(String tokenHash, String name) {
            requireUp();
            HomeAnswer current = sessions.get(tokenHash);
            if (current instanceof HomeAnswer.Active active) {
                sessions.put(tokenHash, new HomeAnswer.Active(active.userId(), name, active.leftMillis()));
                return new HomeAnswer.Active(active.userId(), name, 0);
            }
            return current == null ? new HomeAnswer.Unknown() : current;
        }

        @Override
        public HomeAnswer revoke(String tokenHash, String userId) {
            requireUp();
            sessions.put(tokenHash, new HomeAnswer.Revoked());
            return new HomeAnswer.Revoked();
        }

        @Override
        public void publish(SessionEvent event) {
            published.add(event);
        }

        private void requireUp() {
            if (down) {
                throw new HomeUnavailableException("node n2 did not answer", false, null);
            }
        }
    }

    @Override
    public void start(Consumer<SessionEvent> onSessionEvent) {
        sessionEvents = onSessionEvent;
    }

    @Override
    public Map<String, Long> metrics() {
        return Map.of();
    }

    @Override
    public void close() {
    }
}
