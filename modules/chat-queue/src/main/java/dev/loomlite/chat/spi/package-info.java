/**
 * The chat engine's extension points for a server that runs several nodes (not an API for applications: exported to
 * the server alone). Each has a default that keeps a single node exactly as it is; see {@code docs/cluster-design.md}.
 *
 * <pre>{@code
 * ChatServiceImpl.open(config, pool, batch -> publisher.offer(batch));   // a CommitSink
 * }</pre>
 */
package dev.loomlite.chat.spi;
