package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.QueueSaturatedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One room's send queue and subscribers ({@link RoomHub}). The queue and the {@code running} flag share one lock, so the
 * hand-over between an ending loop and a new send is race-free: a send either finds the loop running (and
 * the loop will see it before it may end) or marks it running and must start a new one.
 *
 * <p>A room with no queued send, no running loop and no subscriber {@linkplain #retireIfIdle retires}: under
 * the same lock it is marked retired and removed from the service's room table, so the table holds only
 * rooms in use. A sender or subscriber that fetched the room before it retired finds the mark under the lock
 * ({@link Admission#RETIRED}, {@link #addSubscriber} false) and must fetch the room again: the table then
 * creates a fresh one. So no send or subscriber ever lands in a room that is gone, and one room id never has
 * two live rooms (a retired room has no loop and never gets one).
 */
final class Room {
    /** What {@link #enqueue} did with a send. */
    enum Admission {
        /** Queued; the room's loop runs and will take it. */
        QUEUED,
        /** Queued; the caller must start the room's loop. */
        START_LOOP,
        /** Not queued: the room retired; fetch the room again. */
        RETIRED
    }

    /** The wait suggested to saturated senders: a batch commits in milliseconds, a full queue drains in about one second. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    final String id;
    final MessageStore store;
    // Sends queued over all rooms: incremented by senders, decremented by loops and failAll (any thread).
    private final AtomicInteger globalQueued;
    private final int maxQueue;
    private final int maxGlobalQueue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    // Guarded by lock. Written by senders (add), the room loop (take) and shutdown (failAll).
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    // Guarded by lock. Set by the sender that starts a loop; cleared by the loop as it ends (or a failed start).
    private boolean running;
    // Guarded by lock. Set once by ChatServiceImpl.close; read by senders and the loop.
    private boolean closing;
    // Guarded by lock. Set once by the thread that retires the room; read by senders and subscribers.
    private boolean retired;
    // The room's subscribers and their fan-out; membership is added to under lock (addSubscriber).
    final RoomHub hub;
    // The service's room table, which this room leaves when it retires.
    private final ConcurrentMap<String, Room> table;

    Room(String id, MessageStore store, AtomicInteger globalQueued, int maxQueue, int maxGlobalQueue,
            Duration fanoutTimeout, ConcurrentMap<String, Room> table) {
        this.id = id;
        this.hub = new RoomHub(fanoutTimeout);
        this.store = store;
        this.globalQueued = globalQueued;
        this.maxQueue = maxQueue;
        this.maxGlobalQueue = maxGlobalQueue;
        this.table = table;
    }

    /**
     * Queues a send.
     *
     * @return whether it was queued, and whether the caller must start the room's loop
     * @throws QueueSaturatedException when the room or all rooms together hold their limit already
     * @throws ChatClosedException     when the service is closing
     */
    Admission enqueue(Pending pending) {
        lock.lock();
        try {
            if (retired) {
                return Admission.RETIRED;
            }
            if (closing) {
                throw new ChatClosedException("chat service is closing: room '" + id + "' accepts no sends");
            }
            if (queue.size() >= maxQueue) {
                throw new QueueSaturatedException("room '" + id + "' send queue is full: " + queue.size()
                        + " queued, limit " + maxQueue, RETRY_AFTER);
            }
            int global = globalQueued.incrementAndGet();
            if (global > maxGlobalQueue) {
                globalQueued.decrementAndGet();
                throw new QueueSaturatedException("chat send queues are full: " + (global - 1)
                        + " queued over all rooms, limit " + maxGlobalQueue, RETRY_AFTER);
            }
            queue.add(pending);
            if (running) {
                notEmpty.signal();
                return Admission.QUEUED;
            }
            running = true;
            return Admission.START_LOOP;
        } finally {
            lock.unlock();
        }
    }

    /** Registers a subscriber for live messages; false when the room retired (fetch the room again). */
    boolean addSubscriber(LiveSubscription subscriber) {
        lock.lock();
        try {
            if (retired) {
                return false;
            }
            hub.add(subscriber);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Unregisters a subscriber, then retires the room if it became idle.
     *
     * @return whether the subscriber was registered
     */
    boolean removeSubscriber(LiveSubscription subscriber) {
        boolean removed = hub.remove(subscriber);
        retireIfIdle();
        return removed;
    }

    /**
     * Retires the room and removes it from the room table when it has no queued send, no running loop and no
     * subscriber. Called whenever one of those may have become true: a loop ended, a start was refused, a
     * send was refused, a subscriber left.
     *
     * @return whether the room is retired
     */
    boolean retireIfIdle() {
        lock.lock();
        try {
            if (!retired && queue.isEmpty() && !running && hub.isEmpty()) {
                retired = true;
                // Under the lock: once a caller sees the mark, the table no longer holds this room.
                table.remove(id, this);
            }
            return retired;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code max} sends, waiting up to {@code idle} for the first. Returns an empty list when the
     * loop must end (idle, or closing with nothing left), having cleared {@code running} under the lock.
     */
    List<Pending> take(int max, Duration idle) throws InterruptedException {
        lock.lock();
        try {
            long nanos = idle.toNanos();
            while (queue.isEmpty()) {
                if (closing || nanos <= 0) {
                    running = false;
                    return List.of();
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return poll(max); // reentrant: still under the lock, so the batch cannot be empty
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} sends without waiting (possibly none); never ends the loop. */
    List<Pending> poll(int max) {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                return List.of();
            }
            List<Pending> batch = new ArrayList<>(Math.min(max, queue.size()));
            while (batch.size() < max && !queue.isEmpty()) {
                batch.add(queue.poll());
            }
            globalQueued.addAndGet(-batch.size());
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the loop ended and fails every queued send (a loop that died, a start that was refused). */
    int failAll(ChatException error) {
        List<Pending> failed;
        lock.lock();
        try {
            running = false;
            failed = new ArrayList<>(queue);
            queue.clear();
            globalQueued.addAndGet(-failed.size());
        } finally {
            lock.unlock();
        }
        failed.forEach(p -> p.result().completeExceptionally(error));
        return failed.size();
    }

    /** Refuses further sends and wakes the loop so it drains what is queued and ends. */
    void close() {
        lock.lock();
        try {
            closing = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
