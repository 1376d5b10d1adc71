package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatException;
import dev.loomlite.sqlite.PoolException;
import java.util.List;
import java.util.Optional;

/**
 * Guards the room-to-file mapping. A room's shard is its hash modulo the shard count ({@link Shards}), so
 * opening existing files with another count would look for every room in the wrong file: its history would
 * seem gone and new messages would restart at seq 1 beside the old ones. Each shard file records its index
 * and the count on first open; a later open with another count, or with files swapped, fails before any
 * send is accepted, with a message that names both counts.
 *
 * <pre>{@code
 * ShardLayout.check(shards);   // at open, on the caller's thread
 * }</pre>
 */
final class ShardLayout {
    private ShardLayout() {
    }

    /** Records the layout in files that have none, then checks every file against {@code shards.size()}. */
    static void check(List<MessageStore> shards) {
        int count = shards.size();
        for (MessageStore store : shards) {
            int index = store.shard();
            String name = store.database().name();
            int[] recorded;
            try {
                recorded = store.database().write(s -> {
                    Optional<int[]> row = s.queryOne("SELECT shard, shards FROM shard_layout",
                            rs -> new int[] {rs.getInt(1), rs.getInt(2)});
                    if (row.isPresent()) {
                        return row.get();
                    }
                    // A file without a layout is new, or was written before layouts were recorded (one
                    // release, whose count cannot be known): it takes the configured one.
                    s.update("INSERT INTO shard_layout(shard, shards) VALUES (?, ?)", index, count);
                    return new int[] {index, count};
                });
            } catch (PoolException e) {
                throw new ChatException("cannot read the shard layout of database '" + name + "': " + e.getMessage(), e);
            }
            if (recorded[1] != count) {
                throw new ChatException("database '" + name + "' belongs to a layout of " + recorded[1]
                        + " shards but the chat service is configured with shards=" + count
                        + "; rooms are placed by a hash modulo the shard count, so changing it would hide every"
                        + " room's history: configure shards=" + recorded[1]);
            }
            if (recorded[0] != index) {
                throw new ChatException("database '" + name + "' holds shard " + recorded[0] + " of " + recorded[1]
                        + ", not shard " + index + ": the shard files were renamed or swapped");
            }
        }
    }
}
