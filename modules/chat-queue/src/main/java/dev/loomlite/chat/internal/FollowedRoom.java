package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.chat.spi.FeedListener;
import dev.loomlite.chat.spi.Follow;
import dev.loomlite.chat.spi.RemoteFeed;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomPosition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A room owned by another node, followed because this node has subscribers to it (docs/cluster-design.md §8.4–8.5):
 * a {@link RoomHub} with no queue and no file, fed by one follower loop that keeps the stream contiguous. The owner
 * publishes each commit once (at most once, over the broker); the loop offers the hub every {@code seq} exactly once
 * and in order, reading from the owner ({@link RoomLog}) what the broker lost: on a jump, on a probe's newer end
 * ({@link #position}), after its inbox overflowed. So repair costs one owner read per node, not one per subscriber,
 * and subscribers keep their own gap check as a second line.
 *
 * <p>Threads: the feed's dispatcher and the probe call {@link #published} and {@link #position} (they only queue);
 * the loop ({@code chat-follow-<room>}, a supervisor task) owns {@link #epoch}/{@code delivered} and is the only one
 * that reads the owner or publishes to the hub; subscribers join and leave from any thread under {@link #lock}.
 * After the last subscriber left, the loop lingers {@link #LINGER} (reconnect churn), then retires the room under the
 * lock, leaves the table and closes its {@link Follow}.
 *
 * <pre>{@code
 * FollowedRoom room = new FollowedRoom(id, shard, fanout, FollowedRoom.LINGER, log, feed, stats, table);
 * room.addSubscriber(sub); room.start(supervisor);   // the first subscriber starts the follower
 * }</pre>
 */
final class FollowedRoom implements FeedListener {
    private static final System.Logger LOG = System.getLogger(FollowedRoom.class.getName());
    /** How long a followed room with no subscriber stays followed, unless the service says otherwise (tests). */
    static final Duration LINGER = Duration.ofSeconds(5);
    /** Feed events a follower holds before it drops new ones and asks its owner instead. */
    static final int INBOX = 256;
    /** The page size of catch-up reads from the owner. */
    private static final int FILL_PAGE = 500;

    /** A queued feed event: a published run, or an owner's end from a probe. */
    private sealed interface Event {
    }

    private record Published(CommittedBatch run) implements Event {
    }

    private record Position(RoomPosition end) implements Event {
    }

    /** Events were dropped on a full inbox: the loop asks the owner for the room's end. */
    private record Lost() implements Event {
    }

    final String id;
    final int shard;
    final RoomHub hub;
    private final RoomLog log;
    private final RemoteFeed feed;
    private final FollowerStats stats;
    private final ConcurrentMap<String, FollowedRoom> table;
    private final long lingerNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock: queued by feed threads, taken by the loop.
    private final ArrayDeque<Event> inbox = new ArrayDeque<>();
    // Guarded by lock: an event was dropped on a full inbox; the loop asks the owner for the room's end.
    private boolean lost;
    // Guarded by lock: the room left the table; no subscriber may join it.
    private boolean retired;
    // Guarded by lock: the service is closing; the loop ends.
    private boolean stopping;
    // Guarded by lock: System.nanoTime() when the hub became empty; 0 while it has subscribers.
    private long emptySince;

    // Serializes the start (feed subscription, first position): one caller does it, later ones wait for it.
    private final ReentrantLock startLock = new ReentrantLock();
    // Guarded by startLock: whether the start succeeded.
    private boolean started;
    // Set by the start, closed by the loop as it ends (or by a failed start).
    private volatile Follow follow;

    // The room's epoch as this follower knows it: written by the start and the loop, read by probe threads.
    private volatile long epoch;
    // The loop's only: the highest seq offered to the hub, all below it offered too.
    private long delivered;

    FollowedRoom(String id, int shard, Duration fanoutTimeout, Duration linger, RoomLog log, RemoteFeed feed,
            FollowerStats stats, ConcurrentMap<String, FollowedRoom> table) {
        this.lingerNanos = linger.toNanos();
        this.id = id;
        this.shard = shard;
        this.hub = new RoomHub(fanoutTimeout);
        this.log = log;
        this.feed = feed;
        this.stats = stats;
        this.table = table;
    }

    /** What {@link #start} found. */
    enum Start {
        /** The room is followed: its subscribers get its messages. */
        FOLLOWING,
        /** The room retired (an earlier start failed): take the subscriber out and use a fresh entry. */
        RETIRED,
        /** The service is closing. */
        CLOSING
    }

    /**
     * Follows the room unless that was done: subscribes to the feed, then reads the owner's end, so that every commit
     * after that end reaches the loop by the feed or by a repair; then forks the loop. Runs on the first subscriber's
     * thread; concurrent subscribers wait for it.
     *
     * @throws OwnerUnavailableException when the owner did not answer (the room then retires)
     */
    Start start(Scopes.Supervisor supervisor) {
        startLock.lock();
        try {
            if (started) {
                return Start.FOLLOWING;
            }
            if (!isFollowing()) {
                return Start.RETIRED;
            }
            Follow subscribed = feed.follow(shard, id, this);
            RoomPosition end;
            try {
                end = log.position(shard, id, 1);
            } catch (RuntimeException e) {
                subscribed.close();
                retire();
                throw e;
            }
            epoch = end.epoch();
            delivered = end.lastSeq();
            follow = subscribed;
            if (!supervisor.fork(this::run)) {
                subscribed.close();
                retire();
                return Start.CLOSING;
            }
            started = true;
            return Start.FOLLOWING;
        } finally {
            startLock.unlock();
        }
    }

    /** Registers a subscriber; false when the room retired (fetch it again from the table). */
    boolean addSubscriber(LiveSubscription subscriber) {
        lock.lock();
        try {
            if (retired) {
                return false;
            }
            hub.add(subscriber);
            emptySince = 0;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the subscriber was registered here */
    boolean removeSubscriber(LiveSubscription subscriber) {
        lock.lock();
        try {
            boolean removed = hub.remove(subscriber);
            if (removed && hub.isEmpty()) {
                emptySince = System.nanoTime();
                changed.signalAll();
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void published(CommittedBatch run) {
        queue(new Published(run));
    }

    @Override
    public void position(RoomPosition latest) {
        queue(new Position(latest));
    }

    @Override
    public long epoch() {
        return Math.max(1, epoch);
    }

    private void queue(Event event) {
        lock.lock();
        try {
            if (retired || stopping) {
                return;
            }
            if (inbox.size() >= INBOX) {
                lost = true;
                stats.lostEvents.increment();
            } else {
                inbox.add(event);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the loop (service closing); subscribers are ended by the shutdown sequence. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The loop: takes events until the room retires or the service closes. */
    private void run() {
        Thread.currentThread().setName("chat-follow-" + id);
        try {
            for (Event event = next(); event != null; event = next()) {
                switch (event) {
                    case Published(CommittedBatch run) -> onRun(run);
                    case Position(RoomPosition end) -> onPosition(end, System.nanoTime());
                    case Lost() -> askOwner();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "follower of room '" + id + "' failed; its subscribers are closed", e);
            hub.forEach(s -> s.closeWith("following the room failed: " + e.getClass().getSimpleName(), false));
        } finally {
            retire();
            Follow f = follow;
            if (f != null) {
                f.close();
            }
        }
    }

    /** The next event; null once the room retired (the linger passed with no subscriber) or the service closes. */
    private Event next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (stopping) {
                    return null;
                }
                if (!inbox.isEmpty()) {
                    return inbox.poll();
                }
                if (lost) {
                    lost = false;
                    return new Lost();
                }
                if (emptySince != 0 || hub.isEmpty()) {
                    if (emptySince == 0) {
                        emptySince = System.nanoTime();
                    }
                    long left = lingerNanos - (System.nanoTime() - emptySince);
                    if (left <= 0) {
                        retired = true;
                        table.remove(id, this);
                        return null;
                    }
                    changed.awaitNanos(left);
                } else {
                    changed.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Catches up to the owner's end, read because feed events were lost; if it fails, the next probe repairs. */
    private void askOwner() throws InterruptedException {
        long noticed = System.nanoTime();
        RoomPosition end;
        try {
            end = log.position(shard, id, epoch());
        } catch (ChatException e) {
            stats.failedRepairs.increment();
            LOG.log(System.Logger.Level.DEBUG, "reading the end of room '" + id + "' failed: " + e.getMessage());
            return;
        }
        onPosition(end, noticed);
    }

    private void onRun(CommittedBatch run) throws InterruptedException {
        if (run.epoch() < epoch) {
            return; // published before the epoch this follower already moved to
        }
        if (run.epoch() > epoch) {
            resetEpoch(run.epoch());
            return;
        }
        List<ChatMessage> messages = run.messages();
        if (messages.getLast().seq() <= delivered) {
            return;
        }
        long first = messages.getFirst().seq();
        if (first > delivered + 1) {
            stats.gaps.increment();
            if (!fill(first - 1, System.nanoTime())) {
                return; // what lies between is not known yet: never offer across a gap; the next probe repairs it
            }
        }
        List<ChatMessage> fresh = messages.stream().filter(m -> m.seq() > delivered).toList();
        offer(fresh);
    }

    private void onPosition(RoomPosition end, long noticed) throws InterruptedException {
        if (end.epoch() > epoch) {
            resetEpoch(end.epoch());
            return;
        }
        if (end.epoch() == epoch && end.lastSeq() > delivered) {
            fill(end.lastSeq(), noticed);
        }
    }

    /**
     * Reads from the owner and offers everything after {@code delivered} up to at least {@code through}; false if the
     * owner could not be read or had less (then {@code delivered} stays where the reads got to).
     */
    private boolean fill(long through, long noticed) throws InterruptedException {
        while (delivered < through) {
            HistoryPage page;
            try {
                page = log.read(shard, id, HistoryQuery.after(delivered, FILL_PAGE));
            } catch (ChatException e) {
                stats.failedRepairs.increment();
                LOG.log(System.Logger.Level.DEBUG, "repairing room '" + id + "' after seq " + delivered + " failed: "
                        + e.getMessage());
                return false;
            }
            List<ChatMessage> messages = page.messages();
            if (messages.isEmpty()) {
                return false;
            }
            if (messages.getLast().epoch() > epoch) {
                resetEpoch(messages.getLast().epoch());
                return false;
            }
            offer(contiguous(messages));
            if (!page.hasMore()) {
                break;
            }
        }
        stats.repairs.increment();
        stats.maxRepairMillis.accumulate(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - noticed));
        return delivered >= through;
    }

    /** The leading messages of {@code page} that continue {@code delivered} without a hole. */
    private List<ChatMessage> contiguous(List<ChatMessage> page) {
        List<ChatMessage> run = new ArrayList<>(page.size());
        long next = delivered + 1;
        for (ChatMessage m : page) {
            if (m.seq() < next) {
                continue;
            }
            if (m.seq() != next) {
                break;
            }
            run.add(m);
            next++;
        }
        return run;
    }

    private void offer(List<ChatMessage> messages) throws InterruptedException {
        if (messages.isEmpty()) {
            return;
        }
        hub.publish(messages);
        delivered = messages.getLast().seq();
    }

    /**
     * The room's history changed from some seq on (a takeover that lost a tail): every subscriber holds a cursor of
     * the old epoch, so each is closed and reconnects, and its reconnect is checked against the new epoch. The
     * follower goes on from the owner's end.
     */
    private void resetEpoch(long newer) {
        stats.epochResets.increment();
        LOG.log(System.Logger.Level.INFO, "room ''{0}'' moved from epoch {1} to {2}: closing its subscribers", id, epoch,
                newer);
        hub.forEach(s -> s.closeWith("the room's history changed (epoch " + newer + "): reconnect", false));
        try {
            RoomPosition end = log.position(shard, id, newer);
            epoch = end.epoch();
            delivered = end.lastSeq();
        } catch (ChatException e) {
            // Without the new end the follower cannot know where to go on: retire; the next subscriber starts over.
            stats.failedRepairs.increment();
            stop();
        }
    }

    private void retire() {
        lock.lock();
        try {
            retired = true;
            table.remove(id, this);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the room is followed now (its loop runs). */
    boolean isFollowing() {
        lock.lock();
        try {
            return !retired && !stopping;
        } finally {
            lock.unlock();
        }
    }
}
