package dev.loomlite.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * The pipeline's limits, validated when built.
 *
 * <pre>{@code
 * ChatConfig config = ChatConfig.defaults().withShards(4).withMaxRoomQueue(1000);
 * }</pre>
 *
 * @param shards           database files the rooms are spread over by a stable hash of the room id, 1..64;
 *                         fixed once the files exist (each records it; opening with another count fails)
 * @param maxRoomQueue     accepted sends waiting in one room before {@link QueueSaturatedException}
 * @param maxGlobalQueue   accepted sends waiting over all rooms before {@link QueueSaturatedException}
 * @param maxBatch         sends persisted in one group-committed write at most
 * @param subscriberBuffer messages a subscriber may fall behind before it is dropped; at least {@code maxBatch}, since
 *                         one batch is handed to every subscriber at once (a smaller buffer would drop every
 *                         subscriber, however fast, on each full batch). Lower {@code maxBatch} first to go below
 *                         its default: {@code defaults().withMaxBatch(8).withSubscriberBuffer(8)}
 * @param fanoutTimeout    how long one batch's fan-out may take before lagging subscribers are dropped
 * @param idleRoomTimeout  how long a room's loop waits for work before it ends (it comes back on demand)
 * @param shutdownGrace    how long {@link ChatService#close()} lets accepted sends finish
 */
public record ChatConfig(int shards, int maxRoomQueue, int maxGlobalQueue, int maxBatch, int subscriberBuffer,
                         Duration fanoutTimeout, Duration idleRoomTimeout, Duration shutdownGrace) {
    public ChatConfig {
        range("shards", shards, 1, 64);
        range("maxRoomQueue", maxRoomQueue, 1, 1_000_000);
        range("maxGlobalQueue", maxGlobalQueue, 1, 10_000_000);
        range("maxBatch", maxBatch, 1, 10_000);
        range("subscriberBuffer", subscriberBuffer, 1, 1_000_000);
        if (subscriberBuffer < maxBatch) {
            throw new IllegalArgumentException("subscriberBuffer (" + subscriberBuffer + ") must be at least maxBatch ("
                    + maxBatch + "): the fan-out hands a subscriber a whole batch at once, so a smaller buffer drops"
                    + " every subscriber on a full batch; raise subscriberBuffer or lower maxBatch first");
        }
        positive("fanoutTimeout", fanoutTimeout);
        positive("idleRoomTimeout", idleRoomTimeout);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + shutdownGrace);
        }
    }

    /** 2 shards, 1000 per room, 20000 overall, batches of 256, 1024-message subscriber buffers. */
    public static ChatConfig defaults() {
        return new ChatConfig(2, 1000, 20_000, 256, 1024, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
    }

    public ChatConfig withShards(int v) {
        return new ChatConfig(v, maxRoomQueue, maxGlobalQueue, maxBatch, subscriberBuffer, fanoutTimeout, idleRoomTimeout, shutdownGrace);
    }

    public ChatConfig withMaxRoomQueue(int v) {
        return new ChatConfig(shards, v, maxGlobalQueue, maxBatch, subscriberBuffer, fanoutTimeout, idleRoomTimeout, shutdownGrace);
    }

    public ChatConfig withMaxGlobalQueue(int v) {
        return new ChatConfig(shards, maxRoomQueue, v, maxBatch, subscriberBuffer, fanoutTimeout, idleRoomTimeout, shutdownGrace);
    }

    public ChatConfig withMaxBatch(int v) {
        return new ChatConfig(shards, maxRoomQueue, maxGlobalQueue, v, subscriberBuffer, fanoutTimeout, idleRoomTimeout, shutdownGrace);
    }

    public ChatConfig withSubscriberBuffer(int v) {
        return new ChatConfig(shards, maxRoomQueue, maxGlobalQueue, maxBatch, v, fanoutTimeout, idleRoomTimeout, shutdownGrace);
    }

    public ChatConfig withFanoutTimeout(Duration v) {
        return new ChatConfig(shards, maxRoomQueue, maxGlobalQueue, maxBatch, subscriberBuffer, v, idleRoomTimeout, shutdownGrace);
    }

    public ChatConfig withIdleRoomTimeout(Duration v) {
        return new ChatConfig(shards, maxRoomQueue, maxGlobalQueue, maxBatch, subscriberBuffer, fanoutTimeout, v, shutdownGrace);
    }

    public ChatConfig withShutdownGrace(Duration v) {
        return new ChatConfig(shards, maxRoomQueue, maxGlobalQueue, maxBatch, subscriberBuffer, fanoutTimeout, idleRoomTimeout, v);
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }
}
