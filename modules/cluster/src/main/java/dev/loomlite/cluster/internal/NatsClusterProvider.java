package dev.loomlite.cluster.internal;

import dev.loomlite.server.spi.Cluster;
import dev.loomlite.server.spi.ClusterProvider;
import dev.loomlite.server.spi.ClusterSettings;

/**
 * The server's cluster support, found with {@link java.util.ServiceLoader} when it starts with {@code --cluster-map}:
 * a node of a cluster whose shard map is a file, whose nodes forward to each other over their internal HTTP API and
 * fan committed messages out over core NATS.
 *
 * <pre>{@code
 * Cluster cluster = new NatsClusterProvider().open(settings);   // what the server does
 * }</pre>
 */
public final class NatsClusterProvider implements ClusterProvider {
    /** For {@link java.util.ServiceLoader}. */
    public NatsClusterProvider() {
    }

    @Override
    public Cluster open(ClusterSettings settings) {
        ShardMapFile map = ShardMapFile.read(settings.mapFile()).requireMember(settings.shards(), settings.nodeId());
        return NatsCluster.open(map, settings);
    }
}
