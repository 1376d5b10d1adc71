package dev.loomlite.server.spi;

import dev.loomlite.chat.spi.Topology;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One node's membership in a cluster, as the server uses it: the engine's topology (placement, commit publisher,
 * owners' logs, the live feed), the forwarding of sends to owners, and the sessions' homes.
 *
 * <pre>{@code
 * try (Cluster cluster = provider.open(settings)) {
 *     NodeChat node = ChatNodes.open(config, pool, cluster.topology());
 *     ... start both connectors ...
 *     cluster.start(events::onSessionEvent);
 * }
 * }</pre>
 */
public interface Cluster extends AutoCloseable {
    /** The engine's extension points, backed by the map, the owners' internal routes and the broker. */
    Topology topology();

    /** Where this node's internal connector listens (its {@code internal} address in the map). */
    InetSocketAddress internalAddress();

    /** Sends to rooms owned elsewhere. */
    Forwarder forwarder();

    /** Sessions homed elsewhere. */
    SessionHomes sessions();

    /**
     * Starts what needs the connectors up: the broker connection (in the background: a node starts while the
     * broker is down), the commit publisher, the probes, the session broadcasts delivered to {@code onSessionEvent}.
     */
    void start(Consumer<SessionEvent> onSessionEvent);

    /** Counters for {@code /metrics} (forwards by outcome, publishes dropped, repairs...), by metric name. */
    Map<String, Long> metrics();

    /** Stops the publisher (bounded), the broker connection and the HTTP client. */
    @Override
    void close();
}
