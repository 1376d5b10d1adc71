/**
 * Optional cluster support for the Loomlite server (docs/cluster-design.md): the shard map file and its
 * {@link dev.loomlite.chat.spi.Placement}, and the core NATS fan-out of committed batches between nodes (a publisher
 * that is the engine's {@link dev.loomlite.chat.spi.CommitSink}, a feed that is its
 * {@link dev.loomlite.chat.spi.RemoteFeed}), the client of the other nodes' internal API (forwarded sends, their rooms'
 * history and ends, sessions' homes), the anti-entropy probes and the session bus. It exports nothing: the server finds
 * it as the {@link dev.loomlite.server.spi.ClusterProvider} service when it starts with {@code --cluster-map}.
 *
 * <p>A cluster node launches from this module's layout (the server binds the provider by itself):
 * <pre>{@code
 * java @modules/server/loomlite.args -p modules/cluster/target/lib -m dev.loomlite.server --cluster-map map.json --node-id n1
 * }</pre>
 */
// "requires-automatic": io.nats.jnats is an automatic module (Automatic-Module-Name in its manifest) and no modular
// jnats exists; its name is stable, so requiring it is what we mean.
@SuppressWarnings("requires-automatic")
module dev.loomlite.cluster {
    requires dev.loomlite.chat;
    // MessageCodec (dev.loomlite.server.spi): NATS payloads carry the API's one message JSON.
    requires dev.loomlite.server;
    // The shard map file and NATS payloads are read as JSON trees (no reflective binding, so nothing is opened).
    requires com.fasterxml.jackson.databind;
    requires io.nats.jnats;
    // The client of the other nodes' internal API (OwnerClient).
    requires java.net.http;

    provides dev.loomlite.server.spi.ClusterProvider with dev.loomlite.cluster.internal.NatsClusterProvider;
}
