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

    /**
     * The version of the shard map this placement comes from, from 1; 0 without a cluster. A node stamps every shard
     * file it opens with its id and this version, and refuses a file stamped by another node unless this version is
     * newer (a shard that moved): see {@code ShardStamp}.
     */
    long mapVersion();

    /** The node that owns {@code shard} (0 ≤ shard &lt; {@link #shards()}). */
    String owner(int shard);

    /**
     * Whether a missing file of {@code shard}, owned here, may be created empty: true when the shard was assigned to
     * this node from the cluster's first map on (no earlier owner can hold its messages). A shard that moved here
     * must arrive as its previous owner's file, so its absence fails the start instead of starting the room over.
     */
    boolean mayCreate(int shard);

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
            public long mapVersion() {
                return 0;
            }

            @Override
            public String owner(int shard) {
                Objects.checkIndex(shard, shards);
                return STANDALONE;
            }

            @Override
            public boolean mayCreate(int shard) {
                Objects.checkIndex(shard, shards);
                return true;
            }

            @Override
            public String toString() {
                return "Placement.standalone(" + shards + ")";
            }
        };
    }
}
