package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatListener;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A subscription with its own delivery thread and a bounded buffer. It is registered for live messages
 * before it reads history, so nothing committed after registration can be missed; it then drains the live
 * buffer skipping what history already delivered ({@code seq <= lastDelivered}). The room's fan-out only
 * {@link #offer}s (never blocks): an overflow drops the subscription with a reason.
 */
final class LiveSubscription implements Subscription {
    private static final System.Logger LOG = System.getLogger(LiveSubscription.class.getName());
    private static final int REPLAY_PAGE = HistoryQuery.MAX_LIMIT;

    /** Called once when a subscription ends; {@code dropped} when it fell behind. */
    interface Ended {
        void ended(LiveSubscription subscription, boolean dropped);
    }

    private final String roomId;
    private final RoomReader reader;
    private final ChatListener listener;
    private final int capacity;
    private final Ended ended;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    // Guarded by lock. Appended by the room loop's fan-out; drained by the delivery thread.
    private final ArrayDeque<ChatMessage> buffer = new ArrayDeque<>();
    // Guarded by lock. Highest seq offered; written by the fan-out, read by the room loop after a deadline.
    private long offeredThrough;
    // Guarded by lock. Set by shutdown: deliver what is buffered, then close with this reason.
    private String endReason;
    // Guarded by lock. Whether the close was a drop for being too slow; written with closeReason.
    private boolean dropped;
    // Guarded by lock. Null while open; set once by close(), a drop or shutdown; read by the delivery thread.
    private String closeReason;
    // Set once by the delivery thread as it starts, or by shutdown for a subscription whose thread never ran.
    private final AtomicBoolean started = new AtomicBoolean();
    // Set once by whoever calls listener.onClosed (the delivery thread, or shutdown if it never ran).
    private final AtomicBoolean notified = new AtomicBoolean();
    // Written by the delivery thread only; read by any thread.
    private volatile long lastDelivered;
    // Written once by the delivery thread as it starts; read by close() on any thread.
    private volatile Thread deliveryThread;
    // Written and read by the delivery thread only: the listener closed the subscription inside a call, so
    // what that call was handed did not (all) arrive.
    private boolean closedByListener;

    LiveSubscription(String roomId, RoomReader reader, long afterSeq, ChatListener listener, int capacity, Ended ended) {
        this.roomId = roomId;
        this.reader = reader;
        this.listener = listener;
        this.capacity = capacity;
        this.ended = ended;
        this.lastDelivered = afterSeq;
    }

    @Override
    public String roomId() {
        return roomId;
    }

    @Override
    public long lastDeliveredSeq() {
        return lastDelivered;
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return closeReason == null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (Thread.currentThread() == deliveryThread) {
            closedByListener = true;
        }
        closeWith("closed by the subscriber", false);
    }

    /** Appends a batch (ascending seq) without blocking; drops the subscription when it would overflow. */
    void offer(List<ChatMessage> messages) {
        lock.lock();
        try {
            if (closeReason != null) {
                return;
            }
            if (buffer.size() + messages.size() > capacity) {
                closeLocked("fell behind: more than " + capacity + " messages buffered; reconnect after seq "
                        + lastDelivered);
                dropped = true;
                return;
            }
            buffer.addAll(messages);
            offeredThrough = messages.getLast().seq();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the fan-out reached this subscription up to {@code seq} (or it is closed anyway). */
    boolean offeredThrough(long seq) {
        lock.lock();
        try {
            return closeReason != null || offeredThrough >= seq;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the subscription with a reason; {@code drop} counts it as dropped for being too slow. */
    void closeWith(String reason, boolean drop) {
        lock.lock();
        try {
            if (closeReason == null) {
                closeLocked(reason);
                dropped = drop;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the subscription once what is already buffered has been delivered (graceful shutdown). */
    void endAfterBuffered(String reason) {
        lock.lock();
        try {
            if (closeReason == null && endReason == null) {
                endReason = reason;
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether history replay should go on: open and not asked to end. */
    private boolean replaying() {
        lock.lock();
        try {
            return closeReason == null && endReason == null;
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked(String reason) {
        closeReason = reason;
        buffer.clear();
        notEmpty.signalAll();
    }

    /** The delivery thread's body: history after {@code afterSeq}, then live. */
    void run() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        deliveryThread = Thread.currentThread();
        deliveryThread.setName("chat-subscriber-" + roomId);
        try {
            catchUp(Long.MAX_VALUE);
            for (List<ChatMessage> batch = next(); batch != null; batch = next()) {
                if (!deliverLive(batch)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            closeWith("chat service is closing", false);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "subscription to room '" + roomId + "' failed", e);
            closeWith("subscription failed: " + e.getClass().getSimpleName(), false);
        } finally {
            finish();
        }
    }

    /** Closes the subscription rather than leave a gap before {@code seq}: with the shutdown's reason if any. */
    private void endAtGap(long seq) {
        lock.lock();
        try {
            if (closeReason == null) {
                closeLocked(endReason != null ? endReason : "could not replay the messages before seq " + seq
                        + "; reconnect after seq " + lastDelivered);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Delivers a live batch: the part above {@code lastDelivered} in runs of consecutive {@code seq}, filling a
     * hole before a run from history. False once the subscription can deliver no more.
     */
    private boolean deliverLive(List<ChatMessage> batch) {
        List<ChatMessage> run = new ArrayList<>(batch.size());
        long high = lastDelivered;
        for (ChatMessage m : batch) {
            if (m.seq() <= high) {
                continue; // history already delivered it
            }
            if (m.seq() > high + 1) {
                if (!deliver(run)) {
                    return false;
                }
                run.clear();
                catchUp(m.seq() - 1);
                high = lastDelivered;
                if (m.seq() > high + 1) {
                    // Catch-up stopped short (shutdown asked to end, or the subscription closed): never
                    // deliver across a gap, or the client would resume after m and lose what lies between.
                    endAtGap(m.seq());
                    return false;
                }
            }
            run.add(m);
            high = m.seq();
        }
        return deliver(run);
    }

    /** Delivers stored messages with {@code lastDelivered < seq <= through}, a page at a time. */
    private void catchUp(long through) {
        while (replaying()) {
            HistoryPage page = reader.read(HistoryQuery.after(lastDelivered, REPLAY_PAGE));
            List<ChatMessage> wanted = page.messages().stream().takeWhile(m -> m.seq() <= through).toList();
            if (!replaying() || !deliver(wanted) || wanted.size() < page.messages().size() || !page.hasMore()) {
                return;
            }
        }
    }

    /**
     * Hands {@code messages} (consecutive seqs above {@code lastDelivered}) to the listener. The cursor moves past
     * them only if the listener returned normally without closing the subscription: a listener that could not
     * deliver closes it (or throws), and the cursor must stay a safe point to resume from. False once closed.
     */
    private boolean deliver(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            return isOpen();
        }
        if (!isOpen()) {
            return false;
        }
        try {
            listener.onMessages(List.copyOf(messages));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "listener of room '" + roomId + "' threw; subscription closed", e);
            closeWith("listener failed: " + e.getClass().getSimpleName(), false);
            return false;
        }
        if (closedByListener) {
            return false;
        }
        lastDelivered = messages.getLast().seq();
        return isOpen();
    }

    /** The next live batch, or null once closed. */
    private List<ChatMessage> next() throws InterruptedException {
        lock.lock();
        try {
            while (buffer.isEmpty() && closeReason == null && endReason == null) {
                notEmpty.await();
            }
            if (closeReason != null) {
                return null;
            }
            if (buffer.isEmpty()) {
                closeLocked(endReason);
                return null;
            }
            List<ChatMessage> batch = new ArrayList<>(buffer);
            buffer.clear();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a subscription whose delivery thread never ran (the service closed first). */
    void abandon(String reason) {
        if (started.compareAndSet(false, true)) {
            closeWith(reason, false);
            finish();
        }
    }

    /** Tells the listener, once, why it ended. */
    private void finish() {
        String reason;
        boolean drop;
        lock.lock();
        try {
            if (closeReason == null) {
                closeLocked("chat service is closing");
            }
            reason = closeReason;
            drop = dropped;
        } finally {
            lock.unlock();
        }
        if (notified.compareAndSet(false, true)) {
            ended.ended(this, drop);
            try {
                listener.onClosed(reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "onClosed of a listener of room '" + roomId + "' threw", e);
            }
        }
    }
}
