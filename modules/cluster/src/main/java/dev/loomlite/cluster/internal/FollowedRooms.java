package dev.loomlite.cluster.internal;

import dev.loomlite.chat.spi.FeedListener;
import dev.loomlite.chat.spi.Follow;
import dev.loomlite.chat.spi.RemoteFeed;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rooms this node follows and their anti-entropy (docs/cluster-design.md §8.6): the engine's {@link RemoteFeed},
 * over {@link RoomFeed}, keeping each followed room's listener so that a probe can ask the rooms' owners for their ends
 * (one request per owner) and hand each to its follower, which catches up from there. Probes run every
 * {@code probeEvery}, and at once (debounced) after the broker link reconnected, resubscribed or saw a slow consumer:
 * whatever the broker lost in between is repaired from the owners.
 *
 * <pre>{@code
 * FollowedRooms rooms = new FollowedRooms(feed, owners, scheduler, Duration.ofSeconds(1));
 * link.onSignal(signal -> rooms.probeSoon());
 * }</pre>
 *
 * Thread-safe: followers start and stop on subscribers' and followers' threads; probes run on the scheduler's thread
 * ({@code loomlite-probe}).
 */
final class FollowedRooms implements RemoteFeed {
    private static final System.Logger LOG = System.getLogger(FollowedRooms.class.getName());
    private static final Duration DEBOUNCE = Duration.ofMillis(200);

    private record Followed(int shard, String roomId, FeedListener listener) {
    }

    private final RemoteFeed feed;
    private final RoomLog owners;
    private final ScheduledExecutorService scheduler;
    private final Map<Object, Followed> followed = new ConcurrentHashMap<>();
    private final AtomicBoolean soon = new AtomicBoolean();
    private final AtomicLong probes = new AtomicLong();
    private ScheduledFuture<?> periodic;

    FollowedRooms(RemoteFeed feed, RoomLog owners, ScheduledExecutorService scheduler) {
        this.feed = feed;
        this.owners = owners;
        this.scheduler = scheduler;
    }

    /** Starts the periodic probe. */
    void start(Duration every) {
        periodic = scheduler.scheduleWithFixedDelay(this::probe, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Follow follow(int shard, String roomId, FeedListener listener) {
        Object key = new Object();
        followed.put(key, new Followed(shard, roomId, listener));
        Follow subscription;
        try {
            subscription = feed.follow(shard, roomId, listener);
        } catch (RuntimeException e) {
            followed.remove(key);
            throw e;
        }
        return () -> {
            followed.remove(key);
            subscription.close();
        };
    }

    /** A probe round shortly (the broker link reconnected or lost messages); several calls make one round. */
    void probeSoon() {
        if (soon.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                soon.set(false);
                probe();
            }, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    int size() {
        return followed.size();
    }

    long probes() {
        return probes.get();
    }

    /** Asks every followed room's owner for its end and tells its follower. On the scheduler's thread. */
    private void probe() {
        List<Followed> rooms = List.copyOf(followed.values());
        if (rooms.isEmpty()) {
            return;
        }
        probes.incrementAndGet();
        try {
            List<RoomRef> refs = rooms.stream().map(f -> new RoomRef(f.shard(), f.roomId(), f.listener().epoch())).toList();
            Map<String, RoomPosition> ends = new ConcurrentHashMap<>();
            owners.positions(refs).forEach(n -> ends.put(n.roomId(), n.position()));
            for (Followed f : rooms) {
                RoomPosition end = ends.get(f.roomId());
                if (end != null) {
                    f.listener().position(end);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a probe of followed rooms failed; the next one retries", e);
        }
    }

    void close() {
        if (periodic != null) {
            periodic.cancel(false);
        }
    }
}
