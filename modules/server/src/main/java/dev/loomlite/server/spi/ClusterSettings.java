package dev.loomlite.server.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ClusterProvider} needs from the server's settings.
 *
 * <pre>{@code
 * Cluster cluster = provider.open(new ClusterSettings(map, "n1", token, 12, Duration.ofSeconds(5), Duration.ofSeconds(1)));
 * }</pre>
 *
 * @param mapFile         the shard map ({@code --cluster-map})
 * @param nodeId          this node ({@code --node-id})
 * @param token           the bearer token of internal requests ({@code LOOMLITE_CLUSTER_TOKEN}); never printed
 * @param shards          the chat shard count ({@code --shards}); the map must say the same
 * @param sessionCacheTtl how long another node's answer about a session is used ({@code --session-cache-ms})
 * @param probeEvery      how often followed rooms' ends are asked of their owners ({@code --cluster-probe-ms})
 */
public record ClusterSettings(Path mapFile, String nodeId, String token, int shards, Duration sessionCacheTtl,
                              Duration probeEvery) {
    public ClusterSettings {
        Objects.requireNonNull(mapFile, "mapFile");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(sessionCacheTtl, "sessionCacheTtl");
        Objects.requireNonNull(probeEvery, "probeEvery");
    }

    @Override
    public String toString() {
        return "ClusterSettings[mapFile=" + mapFile + ", nodeId=" + nodeId + ", token=(hidden), shards=" + shards
                + ", sessionCacheTtl=" + sessionCacheTtl + ", probeEvery=" + probeEvery + "]";
    }
}
