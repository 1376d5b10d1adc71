package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatListener;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ChatMetrics;
import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.CursorAheadException;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.InputRules;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.SendTimeoutException;
import dev.loomlite.chat.Subscription;
import dev.loomlite.chat.ValidationException;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.FollowerMetrics;
import dev.loomlite.chat.spi.NodeChat;
import dev.loomlite.chat.spi.RemoteFeed;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.chat.spi.Topology;
import dev.loomlite.chat.spi.NotOwnerException;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.SqlitePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The pipeline: validation, the in-flight map that joins concurrent duplicates, one {@link Room} per room
 * id (its loop a task of the {@link Scopes.Supervisor}), subscriptions, history and shutdown.
 *
 * <pre>{@code
 * try (ChatServiceImpl chat = ChatServiceImpl.open(ChatConfig.defaults(), pool)) { chat.send(request); }
 * }</pre>
 */
public final class ChatServiceImpl implements ChatService, NodeChat {
    private static final System.Logger LOG = System.getLogger(ChatServiceImpl.class.getName());
    /** Completes {@link #sendAsync} futures off the room's thread, so callers' stages never slow a room. */
    private static final Executor CALLBACKS = task -> Thread.ofVirtual().name("chat-callback").start(task);

    private final ChatConfig config;
    // The shards this node owns, ascending, and the same by shard index (null where another node owns it).
    private final List<MessageStore> shards;
    private final MessageStore[] byShard;
    private final Placement placement;
    private final Scopes.Supervisor supervisor;
    private final Counters counters = new Counters();
    // Sends waiting over all rooms: updated by senders and room loops (see Room).
    private final AtomicInteger globalQueued = new AtomicInteger();
    // Rooms in use by id: created on first use by any thread; a room removes itself when it retires idle.
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    // Sends in flight by (authorId, clientId): added by senders, removed when their future completes.
    private final ConcurrentHashMap<ClientKey, Pending> inFlight = new ConcurrentHashMap<>();
    /** What identifies a send (the unique index {@code messages_client_author} of each shard). */
    private record ClientKey(String authorId, String clientId) {
    }

    // Set once by close(); read by every sender and subscriber.
    private final AtomicBoolean closing = new AtomicBoolean();
    // Counted down by the first close() when the shutdown sequence ended; awaited by later close() calls.
    private final CountDownLatch closed = new CountDownLatch(1);

    // Where each committed batch goes beyond this process; called by room loops (see RoomLoop.finish).
    private final CommitSink commits;
    // The rooms of other nodes: their history and their live commits.
    private final RoomLog remoteLog;
    private final RemoteFeed feed;
    // Rooms of other nodes followed for local subscribers, by id: created by the first subscriber, removed by their
    // loops when they retire (see FollowedRoom).
    private final ConcurrentHashMap<String, FollowedRoom> followed = new ConcurrentHashMap<>();
    private final FollowerStats followerStats = new FollowerStats();
    // How long a followed room without subscribers stays followed; tests shorten it before subscribing.
    volatile Duration followLinger = FollowedRoom.LINGER;

    // Package-private for tests that give it every shard's store over a stand-in Database; open() is the way in.
    ChatServiceImpl(ChatConfig config, List<MessageStore> shards) {
        this(config, Topology.standalone(config.shards()), shards);
    }

    private ChatServiceImpl(ChatConfig config, Topology topology, List<MessageStore> owned) {
        this.config = config;
        this.placement = topology.placement();
        this.shards = List.copyOf(owned);
        this.byShard = new MessageStore[config.shards()];
        owned.forEach(store -> byShard[store.shard()] = store);
        this.commits = topology.commits();
        this.remoteLog = topology.remoteLog();
        this.feed = topology.feed();
        this.supervisor = Scopes.Supervisor.start("chat-supervisor");
    }

    /**
     * Opens (creating and migrating) the shard files {@code chat-0 .. chat-<shards-1>} of {@code pool}.
     *
     * @throws ChatException when the files were created with another shard count ({@link ShardLayout})
     */
    public static ChatServiceImpl open(ChatConfig config, SqlitePool pool) {
        return open(config, pool, CommitSink.NONE);
    }

    /** {@link #open(ChatConfig, SqlitePool)} that also hands every committed batch to {@code commits}. */
    public static ChatServiceImpl open(ChatConfig config, SqlitePool pool, CommitSink commits) {
        return open(config, pool, Placement.standalone(config.shards()), commits);
    }

    /**
     * Opens the shard files that {@code placement} gives this node, and only those (another node's are never
     * created here); with no way to reach other nodes, rooms of the other shards answer {@link NotOwnerException}.
     *
     * @throws IllegalArgumentException when the placement's shard count is not the configuration's, or this node
     *                                  owns no shard
     */
    public static ChatServiceImpl open(ChatConfig config, SqlitePool pool, Placement placement, CommitSink commits) {
        return open(config, pool, new Topology(placement, commits, RoomLog.NONE, RemoteFeed.NONE));
    }

    /**
     * Opens the engine of one node: the shard files that {@code topology}'s placement gives it, and only those;
     * rooms of other nodes are read and followed through the topology's log and feed.
     *
     * @throws IllegalArgumentException when the placement's shard count is not the configuration's, or this node
     *                                  owns no shard
     */
    public static ChatServiceImpl open(ChatConfig config, SqlitePool pool, Topology topology) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(topology, "topology");
        Placement placement = topology.placement();
        if (placement.shards() != config.shards()) {
            throw new IllegalArgumentException("the placement has " + placement.shards() + " shards, the chat"
                    + " configuration " + config.shards() + ": they must be the same");
        }
        List<Integer> mine = IntStream.range(0, config.shards()).filter(placement::owns).boxed().toList();
        if (mine.isEmpty()) {
            throw new IllegalArgumentException("node '" + placement.nodeId() + "' owns none of the " + config.shards()
                    + " shards: " + placement);
        }
        // With one shard here nothing screens it, so it keeps no key filter.
        boolean screened = mine.size() > 1;
        List<MessageStore> owned = new ArrayList<>(mine.size());
        long[] lastRowids = new long[config.shards()];
        // Before any file is created: a refused start leaves no new file behind.
        mine.forEach(i -> ShardStamp.requireFile(pool, placement, i));
        for (int i : mine) {
            Database db = pool.database(Shards.databaseName(i), Schema.MIGRATIONS);
            if (owned.isEmpty()) {
                // Before any other file is opened (and so created): a wrong count must leave no file behind.
                ShardLayout.checkFirst(db, config.shards());
            }
            long rows = screened ? MessageStore.lastRowid(db) : 0;
            lastRowids[i] = rows;
            owned.add(new MessageStore(db, i, screened ? KeyFilter.sized(rows) : null));
        }
        ShardLayout.check(owned, config.shards());
        // Only once every file is known to be of this layout: a refused start must not stamp files it then leaves.
        long now = System.currentTimeMillis();
        owned.replaceAll(store -> new MessageStore(store.database(), store.shard(), store.keys(),
                ShardStamp.apply(store.database(), placement, store.shard(), now)));
        ChatServiceImpl chat = new ChatServiceImpl(config, topology, owned);
        for (MessageStore store : chat.shards) {
            if (store.keys() != null) {
                chat.supervisor.fork(new KeyLoader(store, lastRowids[store.shard()], chat.closing::get));
            }
        }
        return chat;
    }

    @Override
    public SendResult send(SendRequest request) {
        CompletableFuture<SendResult> result = submit(request);
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            throw interrupted(request, e);
        }
    }

    @Override
    public SendResult send(SendRequest request, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        CompletableFuture<SendResult> result = submit(request);
        try {
            // Timing out leaves the send where it is (queued or being committed): it is not cancelled, because a
            // commit may already be under way, and a retry of the same key joins it through the in-flight map.
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            counters.timedOut.increment();
            throw new SendTimeoutException("send to room '" + request.roomId() + "' not confirmed within "
                    + timeout.toMillis() + " ms (" + globalQueued.get() + " sends queued over all rooms): it may or"
                    + " may not be stored; retry with the same client id", timeout);
        } catch (InterruptedException e) {
            throw interrupted(request, e);
        }
    }

    private static ChatException interrupted(SendRequest request, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ChatException("interrupted while waiting for the send to room '" + request.roomId()
                + "'; it may still be stored: retry with the same client id", e);
    }

    @Override
    public CompletableFuture<SendResult> sendAsync(SendRequest request) {
        try {
            return submit(request).thenApplyAsync(r -> r, CALLBACKS);
        } catch (ChatException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Validates, joins a concurrent duplicate, or queues the send; throws what fails before queueing.
     *
     * <p>Exactly-once across shards: the in-flight map makes this the only send of its
     * {@code (authorId, clientId)} in the process until its future completes (after the commit), so the
     * room loop's reads of the other shards ({@link ClientIdScreen}) cannot race with another write of the same
     * key; the room's own shard is checked inside the write transaction.
     */
    private CompletableFuture<SendResult> submit(SendRequest request) {
        Objects.requireNonNull(request, "request");
        InputRules.check(request);
        if (shards.size() < byShard.length) {
            shardOf(request.roomId()); // another node's room: refused before anything is counted or joined
        }
        if (closing.get()) {
            counters.rejected.increment();
            throw new ChatClosedException("chat service is closed: the send was not accepted");
        }
        ClientKey key = new ClientKey(request.authorId(), request.clientId());
        Pending pending = new Pending(request);
        Pending first = inFlight.putIfAbsent(key, pending);
        if (first != null) {
            return first.result().thenApply(r -> duplicateOf(r, request));
        }
        pending.result().whenComplete((r, e) -> inFlight.remove(key, pending));
        try {
            queue(pending);
        } catch (ChatException e) {
            counters.rejected.increment();
            pending.result().completeExceptionally(e);
            throw e;
        }
        return pending.result();
    }

    /** Queues an accepted send in its room, fetching the room again if it retired meanwhile. */
    private void queue(Pending pending) {
        while (true) {
            Room room = room(pending.request().roomId());
            Room.Admission admission;
            try {
                admission = room.enqueue(pending);
            } catch (QueueSaturatedException | ChatClosedException e) {
                room.retireIfIdle(); // a room created for this send must not stay in the table
                throw e;
            }
            switch (admission) {
                case START_LOOP -> start(room);
                case QUEUED -> { }
                case RETIRED -> {
                    continue;
                }
            }
            return;
        }
    }

    /** A concurrent duplicate gets the first send's message, as a replay, if it is the same message. */
    private SendResult duplicateOf(SendResult first, SendRequest duplicate) {
        ChatMessage m = first.message();
        return switch (MessageStore.replayOrConflict(m, duplicate)) {
            case Outcome.Replayed r -> {
                counters.replayed.increment();
                yield new SendResult(m, true);
            }
            case Outcome.Refused(ChatException error) -> throw error;
            case Outcome.Stored s -> throw new IllegalStateException("not a duplicate outcome");
        };
    }

    private void start(Room room) {
        if (!supervisor.fork(new RoomLoop(room, shards, config, counters, commits))) {
            counters.rejected.add(room.failAll(new ChatClosedException(
                    "chat service is closing: room '" + room.id + "' could not start; nothing was stored")));
            room.retireIfIdle();
        }
    }

    /** Whether every shard's client-id filter is loaded (always true with one shard). */
    boolean keysLoaded() {
        return shards.stream().allMatch(s -> s.keys() == null || s.keys().isLoaded());
    }

    /**
     * The shard holding {@code roomId}.
     *
     * @throws NotOwnerException when another node owns it
     */
    MessageStore shardOf(String roomId) {
        int shard = Shards.of(roomId, byShard.length);
        MessageStore store = byShard[shard];
        if (store == null) {
            throw notOwner(roomId, shard);
        }
        return store;
    }

    /** The room in use with this id, created if none is (it may retire before the caller uses it). */
    Room room(String roomId) {
        Room room = rooms.get(roomId);
        return room != null ? room : rooms.computeIfAbsent(roomId, id -> new Room(id, shardOf(id), globalQueued,
                config.maxRoomQueue(), config.maxGlobalQueue(), config.fanoutTimeout(), rooms));
    }

    /** Rooms in the table (in use: queued sends, a running loop or subscribers, or about to be). */
    int roomsInUse() {
        return rooms.size();
    }

    @Override
    public Subscription subscribe(String roomId, long epoch, long afterSeq, ChatListener listener) {
        InputRules.checkRoomId(roomId);
        Objects.requireNonNull(listener, "listener");
        if (afterSeq < 0) {
            throw new ValidationException("afterSeq", "afterSeq must be >= 0");
        }
        if (epoch < 1) {
            throw new ValidationException("epoch", "epoch must be >= 1");
        }
        if (closing.get()) {
            throw new ChatClosedException("chat service is closed: no new subscriptions");
        }
        int shard = Shards.of(roomId, byShard.length);
        if (byShard[shard] == null) {
            return subscribeRemote(roomId, shard, epoch, afterSeq, listener);
        }
        RoomReader reader = RoomReader.local(byShard[shard], roomId);
        requireKnownCursor(roomId, reader, epoch, afterSeq);
        LiveSubscription sub;
        Room room;
        do {
            room = room(roomId);
            Room registered = room;
            sub = new LiveSubscription(roomId, reader, afterSeq, listener,
                    config.subscriberBuffer(), (ending, dropped) -> ended(registered, ending, dropped));
        } while (!room.addSubscriber(sub));
        counters.subscribers.incrementAndGet();
        if (!supervisor.fork(sub::run)) {
            sub.abandon("chat service is closing");
            throw new ChatClosedException("chat service is closed: no new subscriptions");
        }
        return sub;
    }

    /**
     * Subscribes to a room of another node: through the room's follower, which the first subscriber starts (one feed
     * subscription and one owner read per node however many subscribers), reading history from the owner.
     *
     * @throws OwnerUnavailableException when the owner does not answer
     */
    private Subscription subscribeRemote(String roomId, int shard, long epoch, long afterSeq, ChatListener listener) {
        if (remoteLog == RoomLog.NONE) {
            throw notOwner(roomId, shard);
        }
        RoomReader reader = RoomReader.remote(remoteLog, shard, roomId);
        requireKnownCursor(roomId, reader, epoch, afterSeq);
        while (true) {
            FollowedRoom room = followed.computeIfAbsent(roomId, id -> new FollowedRoom(id, shard,
                    config.fanoutTimeout(), followLinger, remoteLog, feed, followerStats, followed));
            LiveSubscription sub = new LiveSubscription(roomId, reader, afterSeq, listener, config.subscriberBuffer(),
                    (ending, dropped) -> {
                        if (room.removeSubscriber(ending)) {
                            counters.subscribers.decrementAndGet();
                        }
                        if (dropped) {
                            counters.dropped.increment();
                        }
                    });
            if (!room.addSubscriber(sub)) {
                continue; // it retired meanwhile: the table makes a fresh one
            }
            counters.subscribers.incrementAndGet();
            FollowedRoom.Start start;
            try {
                start = room.start(supervisor);
            } catch (RuntimeException e) {
                sub.abandon("the room's server is unavailable");
                throw e;
            }
            switch (start) {
                case FOLLOWING -> {
                    if (supervisor.fork(sub::run)) {
                        return sub;
                    }
                    sub.abandon("chat service is closing");
                    throw new ChatClosedException("chat service is closed: no new subscriptions");
                }
                case RETIRED -> {
                    // Another subscriber's start failed after this one joined: never started, never told, so it is
                    // simply taken out, and the next entry is tried.
                    if (room.removeSubscriber(sub)) {
                        counters.subscribers.decrementAndGet();
                    }
                }
                case CLOSING -> {
                    sub.abandon("chat service is closing");
                    throw new ChatClosedException("chat service is closed: no new subscriptions");
                }
            }
        }
    }

    /**
     * Refuses a cursor past what it may keep of the room: past the room's last stored message, or into a range that a
     * later epoch than the cursor's replaced. Any seq a client saw was committed before it saw it, so a read now sees
     * at least that seq: only a restore, a lost commit or a takeover that lost a tail makes a cursor run ahead.
     * Undetected, every new message would fail the subscription's gap check and be dropped, or the client would keep
     * messages the room no longer has.
     */
    private void requireKnownCursor(String roomId, RoomReader reader, long epoch, long afterSeq) {
        RoomPosition position;
        try {
            position = reader.position(epoch);
        } catch (PoolException e) {
            throw new ChatException("reading the end of room '" + roomId + "' failed: " + e.getMessage(), e);
        }
        if (afterSeq > position.validThrough() || (epoch > position.epoch())) {
            throw new CursorAheadException(roomId, afterSeq, position.validThrough(), position.epoch());
        }
    }

    /** A subscription ended (any thread): it leaves the room it registered with, which may then retire. */
    private void ended(Room room, LiveSubscription sub, boolean dropped) {
        if (room.removeSubscriber(sub)) {
            counters.subscribers.decrementAndGet();
        }
        if (dropped) {
            counters.dropped.increment();
        }
    }

    @Override
    public HistoryPage history(String roomId, HistoryQuery query) {
        InputRules.checkRoomId(roomId);
        Objects.requireNonNull(query, "query");
        int shard = Shards.of(roomId, byShard.length);
        MessageStore store = byShard[shard];
        if (store == null) {
            if (remoteLog == RoomLog.NONE) {
                throw notOwner(roomId, shard);
            }
            return remoteLog.read(shard, roomId, query);
        }
        try {
            return store.history(roomId, query);
        } catch (PoolException e) {
            throw new ChatException("reading history of room '" + roomId + "' failed: " + e.getMessage(), e);
        }
    }

    /** This node's rooms and, through the remote log, those of every other node that answered in time. */
    @Override
    public List<RoomInfo> rooms() {
        List<RoomInfo> remote = remoteLog.rooms();
        if (remote.isEmpty()) {
            return ownedRooms();
        }
        List<RoomInfo> all = new ArrayList<>(ownedRooms());
        all.addAll(remote);
        all.sort(Comparator.comparing(RoomInfo::roomId));
        return List.copyOf(all);
    }

    @Override
    public List<RoomInfo> ownedRooms() {
        try {
            List<RoomInfo> all = new ArrayList<>();
            shards.forEach(s -> all.addAll(s.rooms()));
            all.sort(Comparator.comparing(RoomInfo::roomId));
            return List.copyOf(all);
        } catch (PoolException e) {
            throw new ChatException("listing rooms failed: " + e.getMessage(), e);
        }
    }

    /** In the order asked. */
    @Override
    public List<RoomPosition.Named> positions(List<RoomRef> refs) {
        // The indexes into refs of each shard's rooms, so each shard answers in one statement.
        Map<Integer, List<Integer>> byShardIndex = new TreeMap<>();
        for (int i = 0; i < refs.size(); i++) {
            RoomRef ref = refs.get(i);
            InputRules.checkRoomId(ref.roomId());
            int shard = Shards.of(ref.roomId(), byShard.length);
            if (shard != ref.shard() || byShard[shard] == null) {
                throw notOwner(ref.roomId(), shard);
            }
            byShardIndex.computeIfAbsent(shard, k -> new ArrayList<>()).add(i);
        }
        RoomPosition.Named[] out = new RoomPosition.Named[refs.size()];
        try {
            byShardIndex.forEach((shard, indexes) -> {
                List<RoomPosition.Named> answered = byShard[shard].positions(indexes.stream().map(refs::get).toList());
                for (int j = 0; j < indexes.size(); j++) {
                    out[indexes.get(j)] = answered.get(j);
                }
            });
        } catch (PoolException e) {
            throw new ChatException("reading the ends of " + refs.size() + " rooms failed: " + e.getMessage(), e);
        }
        return List.of(out);
    }

    @Override
    public ChatService service() {
        return this;
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public FollowerMetrics followers() {
        return followerStats.snapshot(followed.size());
    }

    private NotOwnerException notOwner(String roomId, int shard) {
        return new NotOwnerException(roomId, shard, placement.owner(shard), placement.nodeId());
    }

    /** Whether {@link #close()} has begun. */
    boolean closing() {
        return closing.get();
    }

    @Override
    public ChatMetrics metrics() {
        return counters.snapshot(globalQueued.get());
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChatException("interrupted while waiting for another thread's close of the chat service;"
                        + " it goes on in the background", e);
            }
            return;
        }
        try {
            ShutdownSequence.run(config.shutdownGrace(), rooms.values(), followed.values(), counters, supervisor);
        } finally {
            closed.countDown();
        }
        LOG.log(System.Logger.Level.INFO, "chat service closed: " + metrics());
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException e) {
            return e;
        }
        return new ChatException("send failed: " + cause, cause);
    }
}
