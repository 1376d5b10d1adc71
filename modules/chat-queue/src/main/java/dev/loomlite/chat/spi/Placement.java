package dev.loomlite.chat.spi;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Which node owns each shard (database file) of the chat: the engine opens, writes and serves only the shards its
 * node owns. Fixed for the service's life and immutable; every node of a cluster sees the same shard count.
 *
 * <pre>{@code
 * Placement one = Placement.standalone(2);              // this process owns every shard
 * int shard = Placement.shardOf("general", one.shards());
 * boolean local = one.owns(shard);
 * }</pre>
 */
public interface Placement {
    /** The node id of {@link #standalone}. */
    String STANDALONE = "standalone";

    /** The shard count, 1..64, the same on every node. */
    int shards();

    /** This node. */
    String nodeId();

    /** The node that owns {@code shard} (0 ≤ shard &lt; {@link #shards()}). */
    String owner(int shard);

    default boolean owns(int shard) {
        return owner(shard).equals(nodeId());
    }

    /**
     * The shard of a room (or any key placed like one): CRC32 of its UTF-8 bytes modulo {@code shards}, stable across
     * JVMs, restarts and nodes. Changing the count moves rooms, which existing files refuse.
     */
    static int shardOf(String key, int shards) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** One process that owns every shard: a single server, as without a cluster. */
    static Placement standalone(int shards) {
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("shards must be between 1 and 64, was " + shards);
        }
        return new Placement() {
            @Override
            public int shards() {
                return shards;
            }

            @Override
            public String nodeId() {
                return STANDALONE;
            }

            @Override
            public String owner(int shard) {
                Objects.checkIndex(shard, shards);
                return STANDALONE;
            }

            @Override
            public String toString() {
                return "Placement.standalone(" + shards + ")";
            }
        };
    }
}
