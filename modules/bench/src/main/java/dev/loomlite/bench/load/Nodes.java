package dev.loomlite.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which node of a cluster each sender sends through and each subscriber connects to, and whether that node owns
 * the room. Rooms are placed as the server places them: shard = CRC32 of the room id's UTF-8 bytes modulo
 * {@code shards} (the server's {@code Placement.shardOf}, computed here because the tool runs on the class path);
 * shard {@code s} is owned by node {@code s % nodes}, in {@code --url} order, as the test cluster and the benchmark
 * assign them. With {@code shards == 0} the owners are unknown: sends spread round robin and no delivery is split.
 * Immutable; any thread.
 *
 * @param nodes  how many {@code --url}s, at least 1
 * @param shards {@code --shards}, 0 when unknown
 * @param via    where a sender sends ({@code --send-via})
 */
record Nodes(int nodes, int shards, SendVia via) {
    /** Where a sender sends through: {@code spread} round robin by sender, the room's {@code owner}, or a {@code non-owner}. */
    enum SendVia { SPREAD, OWNER, NON_OWNER }

    /** Whether a subscriber's node owns its room: {@code UNKNOWN} without {@code --shards}. */
    enum Locality { UNKNOWN, SAME_NODE, CROSS_NODE }

    Nodes {
        if (nodes < 1) {
            throw new IllegalArgumentException("--url needs at least one URL, was " + nodes);
        }
        if (shards < 0 || shards > 64) {
            throw new IllegalArgumentException("--shards must be between 0 and 64, was " + shards);
        }
        if (via != SendVia.SPREAD && shards == 0) {
            throw new IllegalArgumentException("--send-via " + name(via) + " needs --shards (which node owns a room)");
        }
        if (via == SendVia.NON_OWNER && nodes < 2) {
            throw new IllegalArgumentException("--send-via non-owner needs at least 2 URLs in --url, was " + nodes);
        }
    }

    static String name(SendVia via) {
        return via.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The shard of {@code room} among {@code shards} (CRC32 of its UTF-8 bytes, unsigned, modulo). */
    static int shardOf(String room, int shards) {
        CRC32 crc = new CRC32();
        crc.update(room.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** Whether the owners are known ({@code --shards} given). */
    boolean known() {
        return shards > 0;
    }

    /** The index of the node that owns {@code room}; only when {@link #known()}. */
    int ownerOf(String room) {
        if (!known()) {
            throw new IllegalStateException("the owner of " + room + " is unknown without --shards");
        }
        return shardOf(room, shards) % nodes;
    }

    /** The node sender {@code sender} (0-based, over all senders) sends through to {@code room}. */
    int senderNode(int sender, String room) {
        return switch (via) {
            case SPREAD -> sender % nodes;
            case OWNER -> ownerOf(room);
            case NON_OWNER -> (ownerOf(room) + 1 + sender % (nodes - 1)) % nodes; // the others in turn, never the owner
        };
    }

    /** The node the {@code k}-th subscriber (0-based) of a room connects to. */
    int subscriberNode(int k) {
        return k % nodes;
    }

    /** Whether {@code node} owns {@code room}, as far as known. */
    Locality locality(int node, String room) {
        if (!known()) {
            return Locality.UNKNOWN;
        }
        return ownerOf(room) == node ? Locality.SAME_NODE : Locality.CROSS_NODE;
    }
}
