/**
 * The chat engine's extension points for a server that runs several nodes (not an API for applications: exported to
 * the server and the cluster module alone). Each has a default that keeps a single node exactly as it is; see
 * {@code docs/cluster-design.md}.
 *
 * <pre>{@code
 * NodeChat node = ChatNodes.open(config, pool, new Topology(placement, publisher, ownerClient, feed));
 * }</pre>
 */
package dev.loomlite.chat.spi;
