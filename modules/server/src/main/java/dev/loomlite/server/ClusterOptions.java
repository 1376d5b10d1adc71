package dev.loomlite.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How this server takes part in a cluster of nodes that share the rooms (docs/cluster.md): off unless a shard map is
 * given. Needs the optional {@code dev.loomlite.cluster} module on the module path.
 *
 * <pre>{@code
 * ClusterOptions cluster = ClusterOptions.none()
 *         .withMapFile(Path.of("cluster.json")).withNodeId("n1").withToken(System.getenv("LOOMLITE_CLUSTER_TOKEN"));
 * ServerConfig config = ServerConfig.defaults().withCluster(cluster);
 * }</pre>
 *
 * @param mapFile         the shard map ({@code --cluster-map}, {@code LOOMLITE_CLUSTER_MAP}); empty: no cluster
 * @param nodeId          this node's id in the map ({@code --node-id}, {@code LOOMLITE_NODE_ID}),
 *                        {@code [a-z0-9][a-z0-9-]{0,31}}
 * @param token           the bearer token between nodes ({@code LOOMLITE_CLUSTER_TOKEN}, environment only, so that it
 *                        never shows in a process list), 32..1024 visible ASCII characters, the same on every node;
 *                        never printed by {@link #toString()}
 * @param sessionCacheTtl how long another node's answer about a session is used ({@code --session-cache-ms},
 *                        {@code LOOMLITE_SESSION_CACHE_MS}), 100..60000 ms; default 5 s: bounds how long a sign-out
 *                        whose broadcast was lost takes to reach every node
 * @param probeEvery      how often a node asks owners for the ends of the rooms it follows ({@code --cluster-probe-ms},
 *                        {@code LOOMLITE_CLUSTER_PROBE_MS}), 100..60000 ms; default 1 s: bounds how long a lost last
 *                        message takes to arrive
 */
public record ClusterOptions(Optional<Path> mapFile, String nodeId, String token, Duration sessionCacheTtl,
                             Duration probeEvery) {
    /** The environment variable of {@link #token()}. */
    public static final String TOKEN_ENV = "LOOMLITE_CLUSTER_TOKEN";
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{32,1024}");
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(60);

    public ClusterOptions {
        Objects.requireNonNull(mapFile, "mapFile");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(sessionCacheTtl, "sessionCacheTtl");
        Objects.requireNonNull(probeEvery, "probeEvery");
        if (!nodeId.isEmpty() && !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("node id must be 1 to 32 of [a-z0-9-], starting with a letter or digit,"
                    + " was '" + nodeId + "'");
        }
        if (!token.isEmpty() && !TOKEN.matcher(token).matches()) {
            // The length only: the value is a secret.
            throw new IllegalArgumentException(TOKEN_ENV + " must be 32 to 1024 visible ASCII characters without"
                    + " spaces, was " + token.length() + " characters");
        }
        within("session cache lifetime", sessionCacheTtl);
        within("cluster probe period", probeEvery);
    }

    private static void within(String what, Duration d) {
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(what + " must be between 100 and 60000 ms, was " + d.toMillis() + " ms");
        }
    }

    /** No cluster: a single server. */
    public static ClusterOptions none() {
        return new ClusterOptions(Optional.empty(), "", "", Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /** Whether a shard map was given. */
    public boolean enabled() {
        return mapFile.isPresent();
    }

    /**
     * Checks that the settings go together: a map needs a node id and a token; the other settings need a map.
     *
     * @throws IllegalArgumentException naming what is missing or superfluous
     */
    public ClusterOptions requireComplete() {
        if (enabled()) {
            if (nodeId.isEmpty()) {
                throw new IllegalArgumentException("--cluster-map needs --node-id (this node's id in the map)");
            }
            if (token.isEmpty()) {
                throw new IllegalArgumentException("--cluster-map needs " + TOKEN_ENV + " in the environment (the"
                        + " token the nodes authenticate each other with, the same on every node)");
            }
        } else if (!equals(none())) {
            throw new IllegalArgumentException("--node-id, --session-cache-ms, --cluster-probe-ms and " + TOKEN_ENV
                    + " configure a cluster node: they need --cluster-map");
        }
        return this;
    }

    public ClusterOptions withMapFile(Path map) {
        return new ClusterOptions(Optional.of(map), nodeId, token, sessionCacheTtl, probeEvery);
    }

    public ClusterOptions withNodeId(String id) {
        return new ClusterOptions(mapFile, id, token, sessionCacheTtl, probeEvery);
    }

    public ClusterOptions withToken(String secret) {
        return new ClusterOptions(mapFile, nodeId, secret, sessionCacheTtl, probeEvery);
    }

    public ClusterOptions withSessionCacheTtl(Duration ttl) {
        return new ClusterOptions(mapFile, nodeId, token, ttl, probeEvery);
    }

    public ClusterOptions withProbeEvery(Duration period) {
        return new ClusterOptions(mapFile, nodeId, token, sessionCacheTtl, period);
    }

    @Override
    public String toString() {
        return enabled() ? "ClusterOptions[mapFile=" + mapFile.get() + ", nodeId=" + nodeId + ", token="
                + (token.isEmpty() ? "(none)" : "(set)") + ", sessionCacheTtl=" + sessionCacheTtl + ", probeEvery="
                + probeEvery + "]" : "ClusterOptions[none]";
    }
}
