package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.QueueSaturatedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One room's send queue and subscribers. The queue and the {@code running} flag share one lock, so the
 * hand-over between an ending loop and a new send is race-free: a send either finds the loop running (and
 * the loop will see it before it may end) or marks it running and must start a new one.
 */
final class Room {
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
    // Written by subscribe/unsubscribe threads; read (snapshot) by the room loop's fan-out.
    final CopyOnWriteArrayList<LiveSubscription> subscribers = new CopyOnWriteArrayList<>();

    Room(String id, MessageStore store, AtomicInteger globalQueued, int maxQueue, int maxGlobalQueue) {
        this.id = id;
        this.store = store;
        this.globalQueued = globalQueued;
        this.maxQueue = maxQueue;
        this.maxGlobalQueue = maxGlobalQueue;
    }

    /**
     * Queues a send.
     *
     * @return true when the caller must start the room's loop
     * @throws QueueSaturatedException when the room or all rooms together hold their limit already
     * @throws ChatClosedException     when the service is closing
     */
    boolean enqueue(Pending pending) {
        lock.lock();
        try {
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
                return false;
            }
            running = true;
            return true;
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
