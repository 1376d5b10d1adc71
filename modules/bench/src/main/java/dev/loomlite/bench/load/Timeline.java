package dev.loomlite.bench.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What happened in each second of a run, by the time it happened: acknowledgements and deliveries (as
 * latency histograms), failed attempts by HTTP status, and the samples of the server's and the tool's CPU and
 * memory. Seconds are counted from {@code origin} (the start of the warm-up); their slots are allocated when first
 * used, about 20 KiB each. Any thread may record. Until {@link #begin} everything lands in second 0.
 */
final class Timeline {
    /** The statuses counted one by one; anything else is counted as {@link #OTHER}. */
    static final int[] STATUSES = {0, 400, 401, 403, 404, 408, 409, 413, 415, 429, 500, 502, 503, 504};
    static final int OTHER = STATUSES.length;

    /** One second. */
    static final class Slot {
        final Histogram acks = new Histogram();
        final Histogram deliveries = new Histogram();
        /** Deliveries (also in {@link #deliveries}) to a subscriber on the room's owner node, with {@code --shards}. */
        final Histogram sameNode = new Histogram();
        /** Deliveries (also in {@link #deliveries}) to a subscriber on another node than the room's owner. */
        final Histogram crossNode = new Histogram();
        /** Attempts that failed, by {@link #statusIndex}. */
        final AtomicLongArray attemptErrors = new AtomicLongArray(STATUSES.length + 1);
        /** Messages the outbox gave up on, by {@link #statusIndex}. */
        final AtomicLongArray rejected = new AtomicLongArray(STATUSES.length + 1);
        // Written once by the sampler thread at the end of the second, read by the reporter afterwards.
        volatile Sample sample;
        /** Deliveries of messages not sent by this run (other clients, earlier runs): order-checked only. */
        final AtomicLong foreignDeliveries = new AtomicLong();
    }

    /**
     * Counters read at the end of a second; -1 where unknown (no server pid, or one of them unreadable). The server's
     * are summed over the {@code --server-pid}s; {@code cpuNanosByPid} and {@code rssBytesByPid} hold each one's, in
     * their order, -1 where unreadable.
     */
    record Sample(long serverCpuNanos, long serverRssBytes, long toolCpuNanos, List<Long> cpuNanosByPid,
                  List<Long> rssBytesByPid) {
        Sample {
            cpuNanosByPid = List.copyOf(cpuNanosByPid);
            rssBytesByPid = List.copyOf(rssBytesByPid);
        }
    }

    // Written once by the run's thread when sending starts; read by every recording thread.
    private volatile long origin;
    private final AtomicReferenceArray<Slot> slots;

    Timeline(int seconds) {
        this.origin = Long.MAX_VALUE / 2;
        this.slots = new AtomicReferenceArray<>(seconds);
    }

    /** Starts second 0 at {@code originNanos} ({@link System#nanoTime()}). */
    void begin(long originNanos) {
        this.origin = originNanos;
    }

    long origin() {
        return origin;
    }

    int capacity() {
        return slots.length();
    }

    /** The second {@code nanos} (a {@link System#nanoTime()}) falls in, clamped to the slots there are. */
    int second(long nanos) {
        long s = (nanos - origin) / 1_000_000_000L;
        return (int) Math.max(0, Math.min(slots.length() - 1, s));
    }

    Slot slot(int second) {
        Slot s = slots.get(second);
        if (s == null) {
            Slot fresh = new Slot();
            s = slots.compareAndExchange(second, null, fresh);
            if (s == null) {
                s = fresh;
            }
        }
        return s;
    }

    /** The slot if it was ever used, else null. */
    Slot peek(int second) {
        return slots.get(second);
    }

    void ack(long nowNanos, long latencyNanos) {
        slot(second(nowNanos)).acks.recordNanos(latencyNanos);
    }

    void delivery(long nowNanos, long latencyNanos, Nodes.Locality locality) {
        Slot slot = slot(second(nowNanos));
        slot.deliveries.recordNanos(latencyNanos);
        switch (locality) {
            case SAME_NODE -> slot.sameNode.recordNanos(latencyNanos);
            case CROSS_NODE -> slot.crossNode.recordNanos(latencyNanos);
            case UNKNOWN -> { }
        }
    }

    void foreignDelivery(long nowNanos) {
        slot(second(nowNanos)).foreignDeliveries.incrementAndGet();
    }

    void attemptError(long nowNanos, int status) {
        slot(second(nowNanos)).attemptErrors.incrementAndGet(statusIndex(status));
    }

    void rejected(long nowNanos, int status) {
        slot(second(nowNanos)).rejected.incrementAndGet(statusIndex(status));
    }

    static int statusIndex(int status) {
        for (int i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i] == status) {
                return i;
            }
        }
        return OTHER;
    }

    static String statusName(int index) {
        return index == OTHER ? "other" : String.valueOf(STATUSES[index]);
    }
}
