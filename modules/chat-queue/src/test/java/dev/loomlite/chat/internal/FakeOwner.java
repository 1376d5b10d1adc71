package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.chat.spi.FeedListener;
import dev.loomlite.chat.spi.Follow;
import dev.loomlite.chat.spi.RemoteFeed;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.chat.spi.Topology;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two nodes in one process: an owner ("n2", shard 0 of 4) and a follower ("n1", shards 1–3). The owner's commits reach
 * the follower through a feed that drops every {@code dropEvery}th publish (as core NATS may lose them); its history
 * is the follower's {@link RoomLog}, which a test can make unavailable.
 */
final class FakeOwner implements AutoCloseable, CommitSink, RemoteFeed, RoomLog {
    static final ChatConfig FOUR = ChatConfig.defaults().withShards(4);

    private final SqlitePool ownerPool;
    private final SqlitePool followerPool;
    final ChatServiceImpl owner;
    final ChatServiceImpl follower;
    // Followed rooms: added by follow (a subscriber's thread), removed by Follow.close (the follower's loop).
    final Map<String, FeedListener> listeners = new ConcurrentHashMap<>();
    final AtomicInteger follows = new AtomicInteger();
    final AtomicInteger unfollows = new AtomicInteger();
    private final AtomicInteger publishes = new AtomicInteger();
    private final int dropEvery;
    // Set by a test: every read of the owner fails as if it were down.
    volatile boolean down;

    FakeOwner(Path dir, int dropEvery, Duration linger) {
        this.dropEvery = dropEvery;
        ownerPool = pool(dir.resolve("owner"));
        followerPool = pool(dir.resolve("follower"));
        owner = ChatServiceImpl.open(FOUR, ownerPool,
                new Topology(NodePlacement.of("n2", 1, 4, 0), this, RoomLog.NONE, RemoteFeed.NONE));
        follower = ChatServiceImpl.open(FOUR, followerPool,
                new Topology(NodePlacement.of("n1", 1, 4, 1, 2, 3), CommitSink.NONE, this, this));
        follower.followLinger = linger;
    }

    private static SqlitePool pool(Path dir) {
        return SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
    }

    /** The owner committed a batch: published to the room's followers unless this publish is one to drop. */
    @Override
    public void committed(CommittedBatch batch) {
        FeedListener listener = listeners.get(batch.roomId());
        if (publishes.incrementAndGet() % dropEvery == 0 || listener == null) {
            return;
        }
        listener.published(batch);
    }

    /** What a probe does: tells every follower its owner's end. */
    void probe() {
        listeners.forEach((room, listener) -> listener.position(position(0, room, listener.epoch())));
    }

    @Override
    public Follow follow(int shard, String roomId, FeedListener listener) {
        follows.incrementAndGet();
        listeners.put(roomId, listener);
        return new Follow() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    listeners.remove(roomId, listener);
                    unfollows.incrementAndGet();
                }
            }
        };
    }

    @Override
    public HistoryPage read(int shard, String roomId, HistoryQuery query) {
        requireUp();
        return owner.history(roomId, query);
    }

    @Override
    public RoomPosition position(int shard, String roomId, long clientEpoch) {
        requireUp();
        return owner.positions(List.of(new RoomRef(shard, roomId, clientEpoch))).getFirst().position();
    }

    @Override
    public List<RoomPosition.Named> positions(List<RoomRef> rooms) {
        requireUp();
        return owner.positions(rooms);
    }

    @Override
    public List<RoomInfo> rooms() {
        return down ? List.of() : owner.ownedRooms();
    }

    private void requireUp() {
        if (down) {
            throw new OwnerUnavailableException("the room's server (n2) is unavailable", Duration.ofSeconds(1), null);
        }
    }

    @Override
    public void close() {
        follower.close();
        owner.close();
        followerPool.close();
        ownerPool.close();
    }
}
