/**
 * The cluster's implementation (not exported): {@link dev.loomlite.cluster.internal.ShardMapFile} and
 * {@link dev.loomlite.cluster.internal.MapPlacement}; {@link dev.loomlite.cluster.internal.NatsLink} (the one NATS
 * connection of a node), {@link dev.loomlite.cluster.internal.RoomPublisher} (committed batches out) and
 * {@link dev.loomlite.cluster.internal.RoomFeed} (followed rooms in), over payloads of
 * {@link dev.loomlite.cluster.internal.RoomPayload} cut by {@link dev.loomlite.cluster.internal.PayloadSplitter}.
 *
 * <pre>{@code
 * ShardMapFile map = ShardMapFile.read(Path.of("map.json")).requireMember(12, "n1");
 * Placement placement = new MapPlacement(map, "n1");
 * NatsLink link = NatsLink.connect(NatsLink.Settings.of(map.nats(), "n1"));
 * RoomPublisher publisher = RoomPublisher.start(link, placement);   // the engine's CommitSink
 * RemoteFeed feed = new RoomFeed(link, placement);
 * }</pre>
 */
package dev.loomlite.cluster.internal;
