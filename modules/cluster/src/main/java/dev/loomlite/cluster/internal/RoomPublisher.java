package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.chat.spi.Placement;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owner's side of the fan-out (design §8.3): the engine's {@link CommitSink}. {@link #committed} only offers the
 * batch to a bounded queue (full: dropped and counted, never waiting), so a room's thread never waits on NATS. One
 * virtual thread, {@code loomlite-publisher}, drains it in order, cuts each batch into payloads
 * ({@link PayloadSplitter}) and publishes them on {@code loomlite.room.<shard>.<room>}; a payload that cannot go (link
 * down, refused, too large) is counted and dropped: followers repair every loss from the owner. One thread and jnats'
 * ordered writer keep each room's payloads in {@code seq} order.
 *
 * <p>Test hook: {@code -Dloomlite.test.dropPublishEvery=N} drops every Nth payload before it is published (read once
 * here, logged as a WARNING), to exercise the followers' repair.
 *
 * <pre>{@code
 * try (RoomPublisher publisher = RoomPublisher.start(link, placement)) {
 *     ChatNodes.open(config, pool, new Topology(placement, publisher, log, feed));
 * }
 * }</pre>
 */
final class RoomPublisher implements CommitSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RoomPublisher.class.getName());
    static final int QUEUE_BATCHES = 8192;
    static final String DROP_EVERY = "loomlite.test.dropPublishEvery";
    static final long DRAIN_MILLIS = 500;

    /** Why messages were not published. Counted in messages. */
    enum Drop {
        /** The queue held {@value #QUEUE_BATCHES} batches. */
        QUEUE_FULL,
        /** Offered after close, or still queued when the close's drain ended. */
        CLOSED,
        /** The link was not connected (nothing is buffered during an outage). */
        DISCONNECTED,
        /** jnats refused the publish. */
        REFUSED,
        /** One message alone exceeds the broker's max payload. */
        TOO_LARGE,
        /** The broker's max payload is below {@link NatsLink#MIN_MAX_PAYLOAD}: nothing is published. */
        BROKER_LIMIT,
        /** {@value #DROP_EVERY}. */
        TEST_HOOK
    }

    /**
     * What the publisher did so far.
     *
     * @param payloads payloads handed to the link
     * @param messages messages in them
     * @param dropped  messages dropped, by reason
     */
    record Counts(long payloads, long messages, Map<Drop, Long> dropped) {
        Counts {
            dropped = Map.copyOf(dropped);
        }

        long dropped(Drop reason) {
            return dropped.getOrDefault(reason, 0L);
        }
    }

    private final NatsLink link;
    private final Placement placement;
    private final int dropEvery;
    private final ArrayBlockingQueue<CommittedBatch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private final AtomicLong payloads = new AtomicLong();   // written by the publisher thread, read by any
    private final AtomicLong messages = new AtomicLong();   // written by the publisher thread, read by any
    private final Map<Drop, AtomicLong> dropped = new EnumMap<>(Drop.class);   // filled here; counters from any thread
    private final Thread thread;
    private long attempts;               // publisher thread only: payloads that reached the publish step
    private volatile boolean closing;    // written by close, read by room threads and the publisher thread

    private RoomPublisher(NatsLink link, Placement placement, int dropEvery) {
        this.link = link;
        this.placement = placement;
        this.dropEvery = dropEvery;
        for (Drop d : Drop.values()) {
            dropped.put(d, new AtomicLong());
        }
        this.thread = Thread.ofVirtual().name("loomlite-publisher")
                .uncaughtExceptionHandler((t, e) -> LOG.log(Level.ERROR, "the NATS publisher died: fan-out stopped", e))
                .unstarted(this::drain);
    }

    /** Starts the publisher thread; reads {@value #DROP_EVERY} once. */
    static RoomPublisher start(NatsLink link, Placement placement) {
        int every = Integer.getInteger(DROP_EVERY, 0);
        if (every > 0) {
            LOG.log(Level.WARNING, "test hook " + DROP_EVERY + "=" + every + ": node " + placement.nodeId()
                    + " drops every room payload whose number is a multiple of " + every + " before publishing it");
        }
        RoomPublisher publisher = new RoomPublisher(link, placement, Math.max(0, every));
        publisher.thread.start();
        return publisher;
    }

    /** On the room's thread: offers, never waits. */
    @Override
    public void committed(CommittedBatch batch) {
        if (closing) {
            drop(Drop.CLOSED, batch.messages().size());
        } else if (!queue.offer(batch)) {
            drop(Drop.QUEUE_FULL, batch.messages().size());
        }
    }

    Counts counts() {
        Map<Drop, Long> d = new EnumMap<>(Drop.class);
        dropped.forEach((reason, n) -> d.put(reason, n.get()));
        return new Counts(payloads.get(), messages.get(), d);
    }

    private void drop(Drop reason, long count) {
        dropped.get(reason).addAndGet(count);
    }

    // The publisher thread: until closing and empty, or interrupted by close's deadline.
    private void drain() {
        try {
            while (!closing || !queue.isEmpty()) {
                CommittedBatch batch = queue.poll(100, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    publish(batch);
                }
            }
        } catch (InterruptedException e) {
            // close() ran out of time: what is still queued is counted there.
            Thread.currentThread().interrupt();
        }
    }

    private void publish(CommittedBatch batch) {
        OptionalLong max = link.maxPayload();
        if (max.isEmpty() || max.getAsLong() < NatsLink.MIN_MAX_PAYLOAD) {
            drop(max.isEmpty() ? Drop.DISCONNECTED : Drop.BROKER_LIMIT, batch.messages().size());
            return;
        }
        String subject = RoomPayload.subject(batch.shard(), batch.roomId());
        for (PayloadSplitter.Cut cut : PayloadSplitter.split(batch, placement.nodeId(), placement.mapVersion(),
                max.getAsLong())) {
            if (cut.body().length > max.getAsLong()) {
                drop(Drop.TOO_LARGE, cut.messages());
            } else if (dropEvery > 0 && ++attempts % dropEvery == 0) {
                drop(Drop.TEST_HOOK, cut.messages());
            } else {
                send(subject, cut);
            }
        }
    }

    private void send(String subject, PayloadSplitter.Cut cut) {
        try {
            link.publish(subject, cut.body());
            payloads.incrementAndGet();
            messages.addAndGet(cut.messages());
        } catch (IllegalStateException e) {
            drop(Drop.DISCONNECTED, cut.messages());
        } catch (IllegalArgumentException e) {
            drop(Drop.REFUSED, cut.messages());
            LOG.log(Level.WARNING, "NATS refused a payload of " + cut.body().length + " bytes on " + subject + ": "
                    + e.getMessage());
        }
    }

    /**
     * Stops taking batches and publishes what is queued for at most {@value #DRAIN_MILLIS} ms; what is left is counted
     * as {@link Drop#CLOSED} and logged. Idempotent. Close it before the link.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            if (!thread.join(Duration.ofMillis(DRAIN_MILLIS))) {
                thread.interrupt();
                thread.join(Duration.ofMillis(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
        }
        List<CommittedBatch> left = new ArrayList<>();
        queue.drainTo(left);
        long abandoned = left.stream().mapToLong(b -> b.messages().size()).sum();
        if (abandoned > 0) {
            drop(Drop.CLOSED, abandoned);
            LOG.log(Level.WARNING, "NATS publisher of node " + placement.nodeId() + " closed after " + DRAIN_MILLIS
                    + " ms with " + left.size() + " batches (" + abandoned + " messages) unpublished; followers"
                    + " repair them from this node's files once it is back");
        }
    }
}
