package dev.loomlite.chat.client;

import dev.loomlite.chat.SendResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The outbox's state machine. One lock guards every queue; sends run on a virtual thread per attempt
 * ({@code outbox-send-<room>}) and report back under the lock; backoff waits are timer tasks. Per message:
 * QUEUED, then SENDING (the head only), then DONE (sent or discarded: removed), WAITING (a backoff, then
 * QUEUED again) or FAILED (until retried or discarded).
 */
final class OutboxImpl implements Outbox {
    private static final System.Logger LOG = System.getLogger(OutboxImpl.class.getName());

    private enum State { QUEUED, SENDING, WAITING, FAILED, DONE }

    /** A message in the outbox; its fields are guarded by the outbox lock. */
    private static final class Entry {
        final OutgoingMessage message;
        State state = State.QUEUED;
        int attempts;
        Runnable cancelWait;

        Entry(OutgoingMessage message) {
            this.message = message;
        }
    }

    private final Transport transport;
    private final OutboxConfig config;
    private final RandomGenerator random;
    private final Supplier<String> clientIds;
    private final EventPump events;
    private final Timer timer;
    // The timer's executor when the outbox made it (shut down on close); null when the caller gave one.
    private final ScheduledExecutorService ownScheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // Guarded by lock: written by callers and send threads, read by all.
    private final Map<String, ArrayDeque<Entry>> rooms = new LinkedHashMap<>();
    private final Map<String, Entry> byClientId = new HashMap<>();
    private int inFlight;
    private boolean closed;

    OutboxImpl(Transport transport, OutboxConfig config, Consumer<OutboxEvent> listener, Timer timer,
               RandomGenerator random, Supplier<String> clientIds) {
        this.transport = transport;
        this.config = config;
        this.random = random;
        this.clientIds = clientIds;
        if (timer == null) {
            var scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "outbox-timer");
                t.setDaemon(true);
                t.setUncaughtExceptionHandler((th, e) -> LOG.log(System.Logger.Level.ERROR, th.getName() + " died", e));
                return t;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            this.ownScheduler = scheduler;
            this.timer = Timer.of(scheduler);
        } else {
            this.ownScheduler = null;
            this.timer = timer;
        }
        this.events = new EventPump(listener);
    }

    @Override
    public String enqueue(String roomId, String content) {
        return enqueue(new OutgoingMessage(roomId, clientIds.get(), content, OptionalLong.empty()));
    }

    @Override
    public String enqueue(String roomId, String content, long replyToId) {
        return enqueue(new OutgoingMessage(roomId, clientIds.get(), content, OptionalLong.of(replyToId)));
    }

    @Override
    public String enqueue(OutgoingMessage message) {
        Entry next;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("outbox is closed: message to room '" + message.roomId() + "' not queued");
            }
            if (byClientId.containsKey(message.clientId())) {
                throw new IllegalArgumentException("client id already in the outbox (room '" + message.roomId() + "')");
            }
            Entry entry = new Entry(message);
            byClientId.put(message.clientId(), entry);
            ArrayDeque<Entry> queue = rooms.computeIfAbsent(message.roomId(), r -> new ArrayDeque<>());
            queue.add(entry);
            events.emit(new OutboxEvent.Queued(message.clientId(), message.roomId()));
            next = nextLocked(queue);
        } finally {
            lock.unlock();
        }
        start(next);
        return message.clientId();
    }

    @Override
    public boolean retry(String clientId) {
        Entry next;
        lock.lock();
        try {
            Entry e = byClientId.get(clientId);
            if (closed || e == null || !(e.state == State.FAILED || e.state == State.WAITING)) {
                return false;
            }
            if (e.state == State.FAILED) {
                e.attempts = 0;
            }
            cancelWait(e);
            e.state = State.QUEUED;
            next = nextLocked(rooms.get(e.message.roomId()));
        } finally {
            lock.unlock();
        }
        start(next);
        return true;
    }

    @Override
    public boolean discard(String clientId) {
        Entry next;
        lock.lock();
        try {
            Entry e = byClientId.get(clientId);
            if (e == null || e.state == State.SENDING) {
                return false;
            }
            cancelWait(e);
            ArrayDeque<Entry> queue = rooms.get(e.message.roomId());
            remove(e, queue);
            events.emit(new OutboxEvent.Discarded(clientId, e.message.roomId()));
            next = nextLocked(queue);
        } finally {
            lock.unlock();
        }
        start(next);
        return true;
    }

    @Override
    public List<OutgoingMessage> pending() {
        lock.lock();
        try {
            List<OutgoingMessage> all = new ArrayList<>(byClientId.size());
            rooms.values().forEach(q -> q.forEach(e -> all.add(e.message)));
            return List.copyOf(all);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            byClientId.values().forEach(OutboxImpl::cancelWait);
            long nanos = config.closeTimeout().toNanos();
            while (inFlight > 0 && nanos > 0) {
                nanos = idle.awaitNanos(nanos);
            }
            if (inFlight > 0) {
                LOG.log(System.Logger.Level.WARNING, inFlight + " outbox sends still in flight after "
                        + config.closeTimeout().toMillis() + " ms; their events may not be delivered");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
        events.close(config.closeTimeout());
    }

    /** Marks the room's head SENDING and returns it when it is ready to go; null otherwise. */
    private Entry nextLocked(ArrayDeque<Entry> queue) {
        Entry head = queue == null ? null : queue.peek();
        if (closed || head == null || head.state != State.QUEUED) {
            return null;
        }
        head.state = State.SENDING;
        head.attempts++;
        inFlight++;
        return head;
    }

    private void start(Entry entry) {
        if (entry != null) {
            Thread.ofVirtual().name("outbox-send-" + entry.message.roomId())
                    .uncaughtExceptionHandler((t, e) -> LOG.log(System.Logger.Level.ERROR, t.getName() + " died", e))
                    .start(() -> attempt(entry));
        }
    }

    /** One attempt of the room's head, on its own virtual thread. */
    private void attempt(Entry entry) {
        SendResult result = null;
        TransportException failure = null;
        try {
            result = transport.send(entry.message);
        } catch (TransportException e) {
            failure = e;
        } catch (RuntimeException | Error e) {
            // A broken transport must not leave the room's head SENDING forever.
            failure = TransportException.network("transport failed: " + e, e);
        }
        Entry next = null;
        lock.lock();
        try {
            inFlight--;
            idle.signalAll();
            ArrayDeque<Entry> queue = rooms.get(entry.message.roomId());
            if (result != null) {
                remove(entry, queue);
                events.emit(new OutboxEvent.Sent(entry.message.clientId(), entry.message.roomId(),
                        result.message().messageId(), result.message().seq(), result.replay()));
                next = nextLocked(queue);
            } else if (failure.retryable() && entry.attempts < config.maxAttempts() && !closed) {
                entry.state = State.WAITING;
                Duration wait = backoff(entry.attempts, failure.retryAfter());
                entry.cancelWait = timer.schedule(wait, () -> wake(entry));
            } else {
                entry.state = State.FAILED;
                events.emit(new OutboxEvent.Failed(entry.message.clientId(), entry.message.roomId(),
                        String.valueOf(failure.getMessage()), failure.status(), entry.attempts));
            }
        } finally {
            lock.unlock();
        }
        start(next);
    }

    /** A backoff ended: send the entry again if it still waits. */
    private void wake(Entry entry) {
        Entry next = null;
        lock.lock();
        try {
            if (entry.state == State.WAITING && !closed) {
                entry.state = State.QUEUED;
                entry.cancelWait = null;
                next = nextLocked(rooms.get(entry.message.roomId()));
            }
        } finally {
            lock.unlock();
        }
        start(next);
    }

    /** Full jitter over the exponential ceiling, never shorter than the server's Retry-After. */
    Duration backoff(int failures, Optional<Duration> retryAfter) {
        long initial = config.initialBackoff().toMillis();
        long ceiling = Math.min(config.maxBackoff().toMillis(), initial << Math.min(failures - 1, 30));
        Duration jittered = Duration.ofMillis(random.nextLong(ceiling + 1));
        return retryAfter.filter(r -> r.compareTo(jittered) > 0).orElse(jittered);
    }

    private void remove(Entry entry, ArrayDeque<Entry> queue) {
        entry.state = State.DONE; // a backoff wake-up already on its way finds nothing to do
        byClientId.remove(entry.message.clientId());
        if (queue != null) {
            queue.remove(entry);
            if (queue.isEmpty()) {
                rooms.remove(entry.message.roomId());
            }
        }
    }

    private static void cancelWait(Entry e) {
        if (e.cancelWait != null) {
            e.cancelWait.run();
            e.cancelWait = null;
        }
    }
}
