package dev.loomlite.server.spi;

/**
 * Found with {@link java.util.ServiceLoader} when the server starts with {@code --cluster-map}: the optional
 * {@code dev.loomlite.cluster} module provides it. A single server never looks it up.
 *
 * <pre>{@code
 * ClusterProvider provider = ServiceLoader.load(ClusterProvider.class).findFirst().orElseThrow();
 * Cluster cluster = provider.open(settings);   // reads and checks the map; connects nothing yet
 * }</pre>
 */
public interface ClusterProvider {
    /**
     * Reads and validates the shard map; nothing connects yet.
     *
     * @throws IllegalArgumentException naming the map file and the field at fault
     */
    Cluster open(ClusterSettings settings);
}
