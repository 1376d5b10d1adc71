package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.FeedListener;
import dev.loomlite.chat.spi.Follow;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.chat.spi.RemoteFeed;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The follower's side of the fan-out (design §8.4): the engine's {@link RemoteFeed}. Following a room subscribes its
 * subject on the {@value #DISPATCHER} dispatcher; each payload is read back into a run and handed to the listener on
 * that dispatcher's thread. Payloads that do not belong are counted and dropped: one from a node that is not the
 * shard's owner in this node's map (two maps disagree: the split-brain guard), one of an unknown format version, a
 * malformed one. Thread-safe.
 *
 * <pre>{@code
 * RemoteFeed feed = new RoomFeed(link, placement);
 * try (Follow follow = feed.follow(5, "general", follower)) {
 *     ...   // follower.published(run) per payload
 * }
 * }</pre>
 */
final class RoomFeed implements RemoteFeed {
    private static final System.Logger LOG = System.getLogger(RoomFeed.class.getName());
    static final String DISPATCHER = "loomlite-nats-rooms";
    static final Duration FLUSH_BOUND = Duration.ofSeconds(1);

    /**
     * What the feed received so far.
     *
     * @param delivered      payloads handed to a listener
     * @param foreign        payloads from a node that does not own the shard here
     * @param unknownVersion payloads of a format version this node does not read
     * @param malformed      payloads that are not a run of the followed room
     */
    record Counts(long delivered, long foreign, long unknownVersion, long malformed) {
    }

    private final NatsLink link;
    private final Placement placement;
    // Written by dispatcher threads, read by any.
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong unknownVersion = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    RoomFeed(NatsLink link, Placement placement) {
        this.link = link;
        this.placement = placement;
    }

    /**
     * Subscribes, then waits up to {@link #FLUSH_BOUND} for the broker to confirm; returns anyway after that (the
     * follower's probes cover the time until the subscription is live). Never throws for a broker outage.
     */
    @Override
    public Follow follow(int shard, String roomId, FeedListener listener) {
        String subject = RoomPayload.subject(shard, roomId);
        LinkSubscriptions.Subscribed sub = link.subscribe(DISPATCHER, subject, msg -> deliver(shard, roomId, msg.getData(),
                listener));
        if (!link.flush(FLUSH_BOUND)) {
            LOG.log(Level.DEBUG, "following " + subject + ": the broker did not confirm within "
                    + FLUSH_BOUND.toMillis() + " ms (link " + link.state() + "); probes cover it");
        }
        return sub::close;
    }

    Counts counts() {
        return new Counts(delivered.get(), foreign.get(), unknownVersion.get(), malformed.get());
    }

    // The room dispatcher's thread.
    private void deliver(int shard, String roomId, byte[] data, FeedListener listener) {
        RoomPayload payload;
        try {
            payload = RoomPayload.read(data);
        } catch (RejectedPayloadException e) {
            (e.reason() == RejectedPayloadException.Reason.UNKNOWN_VERSION ? unknownVersion : malformed)
                    .incrementAndGet();
            LOG.log(Level.DEBUG, "dropped a payload of room '" + roomId + "': " + e.getMessage());
            return;
        }
        if (payload.run().shard() != shard || !payload.run().roomId().equals(roomId)) {
            malformed.incrementAndGet();
            return;
        }
        String owner = placement.owner(shard);
        if (!payload.node().equals(owner)) {
            foreign.incrementAndGet();
            LOG.log(Level.DEBUG, "dropped a payload of room '" + roomId + "' from node " + payload.node() + " (map "
                    + payload.mapVersion() + "): shard " + shard + " is owned by " + owner + " at map version "
                    + placement.mapVersion() + " here");
            return;
        }
        delivered.incrementAndGet();
        try {
            listener.published(payload.run());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the follower of room '" + roomId + "' threw on a published run; dropped", e);
        }
    }
}
