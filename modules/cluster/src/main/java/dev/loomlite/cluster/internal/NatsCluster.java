package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.Topology;
import dev.loomlite.server.spi.Cluster;
import dev.loomlite.server.spi.ClusterSettings;
import dev.loomlite.server.spi.Forwarder;
import dev.loomlite.server.spi.SessionEvent;
import dev.loomlite.server.spi.SessionHomes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * One node's part in a cluster: the map's {@link MapPlacement}, the {@link OwnerClient} of the other nodes' internal
 * API, and the broker link with the commit publisher, the followed rooms' feed and probes, and the session bus.
 *
 * <pre>{@code
 * try (Cluster cluster = NatsCluster.open(map, settings)) { ... }
 * }</pre>
 *
 * Open connects to the broker in the background (a node starts while it is down); {@link #start} begins what needs
 * the server's connectors up. Close is ordered and bounded: probes, the publisher (drains up to 500 ms), the link, the
 * HTTP client.
 */
final class NatsCluster implements Cluster {
    private final ShardMapFile map;
    private final MapPlacement placement;
    private final ClusterSettings settings;
    private final NatsLink link;
    private final OwnerClient owners;
    private final RoomPublisher publisher;
    private final RoomFeed feed;
    private final FollowedRooms followed;
    private final SessionBus bus;
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("loomlite-probe").daemon(true).factory());

    private NatsCluster(ShardMapFile map, ClusterSettings settings) {
        this.map = map;
        this.settings = settings;
        this.placement = new MapPlacement(map, settings.nodeId());
        this.link = NatsLink.connect(NatsLink.Settings.of(map.nats(), settings.nodeId()));
        this.bus = new SessionBus(link, settings.nodeId());
        Map<String, URI> internal = new LinkedHashMap<>();
        map.nodes().forEach((id, node) -> internal.put(id, node.internal()));
        this.owners = new OwnerClient(placement, internal, settings.token(), bus::publish);
        this.publisher = RoomPublisher.start(link, placement);
        this.feed = new RoomFeed(link, placement);
        this.followed = new FollowedRooms(feed, owners, probes);
    }

    static NatsCluster open(ShardMapFile map, ClusterSettings settings) {
        return new NatsCluster(map, settings);
    }

    @Override
    public Topology topology() {
        return new Topology(placement, publisher, owners, followed);
    }

    @Override
    public InetSocketAddress internalAddress() {
        URI own = map.nodes().get(settings.nodeId()).internal();
        return new InetSocketAddress(own.getHost(), own.getPort());
    }

    @Override
    public Forwarder forwarder() {
        return owners;
    }

    @Override
    public SessionHomes sessions() {
        return owners;
    }

    @Override
    public void start(Consumer<SessionEvent> onSessionEvent) {
        bus.listen(onSessionEvent);
        followed.start(settings.probeEvery());
        // Whatever the broker may have lost meanwhile is asked of the owners at once.
        link.onSignal(signal -> followed.probeSoon());
    }

    @Override
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("loomlite_cluster_forwards_answered_total", owners.forwardsAnswered.sum());
        m.put("loomlite_cluster_forwards_not_stored_total", owners.forwardsNotStored.sum());
        m.put("loomlite_cluster_forwards_unknown_total", owners.forwardsUnknown.sum());
        m.put("loomlite_cluster_owner_reads_failed_total", owners.readsFailed.sum());
        RoomPublisher.Counts published = publisher.counts();
        m.put("loomlite_cluster_published_payloads_total", published.payloads());
        m.put("loomlite_cluster_published_messages_total", published.messages());
        m.put("loomlite_cluster_publish_dropped_total", published.dropped().values().stream().mapToLong(Long::longValue).sum());
        RoomFeed.Counts received = feed.counts();
        m.put("loomlite_cluster_feed_delivered_total", received.delivered());
        m.put("loomlite_cluster_feed_foreign_total", received.foreign());
        m.put("loomlite_cluster_followed_rooms", (long) followed.size());
        m.put("loomlite_cluster_probes_total", followed.probes());
        m.put("loomlite_cluster_broker_connected", link.state() == NatsLink.State.CONNECTED ? 1L : 0L);
        return m;
    }

    @Override
    public void close() {
        followed.close();
        probes.shutdownNow();
        publisher.close();
        link.close();
        owners.close();
    }
}
