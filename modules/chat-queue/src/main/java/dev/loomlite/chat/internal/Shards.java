package dev.loomlite.chat.internal;

import dev.loomlite.chat.spi.Placement;

/**
 * Where a room lives and how message ids encode it.
 *
 * <p>A room's shard is CRC32 of its UTF-8 bytes modulo the shard count: stable across JVMs and restarts (but
 * changing the shard count moves rooms, which is not supported on existing data). A message id is the row id
 * in its shard file times {@value #ID_STRIDE} plus the shard index, so ids are unique across shards, grow
 * with time within a shard and stay below 2^53 (safe in JavaScript) while a shard has fewer than 2^47 rows.
 *
 * <pre>{@code
 * int shard = Shards.of("general", 4);
 * long id = Shards.messageId(rowid, shard);
 * }</pre>
 */
final class Shards {
    /** The multiplier of the row id in a message id; above the largest shard count. */
    static final int ID_STRIDE = 64;

    private Shards() {
    }

    /** The shard index of {@code roomId} among {@code shards} ({@link Placement#shardOf}, the one copy of the hash). */
    static int of(String roomId, int shards) {
        return Placement.shardOf(roomId, shards);
    }

    /** The database name of shard {@code index}. */
    static String databaseName(int index) {
        return "chat-" + index;
    }

    static long messageId(long rowid, int shard) {
        return rowid * ID_STRIDE + shard;
    }

    static int shardOf(long messageId) {
        return (int) (messageId % ID_STRIDE);
    }

    static long rowidOf(long messageId) {
        return messageId / ID_STRIDE;
    }
}
