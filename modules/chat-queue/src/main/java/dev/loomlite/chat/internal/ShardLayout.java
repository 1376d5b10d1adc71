package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatException;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.RowMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * ShardLayout.check(owned, shards);   // at open, on the caller's thread
 * }</pre>
 */
final class ShardLayout {
    private ShardLayout() {
    }

    /**
     * Checks every file of {@code shards} (those this node owns, at least one) against the shard {@code count}, then
     * records the layout in files that have none. A file without one was written before layouts were recorded: it
     * is accepted only if every room it holds belongs to it under the configured count, so an upgrade that also
     * changes the count fails instead of stamping the wrong count into every file.
     */
    static void check(List<MessageStore> shards, int count) {
        MessageStore firstStore = shards.getFirst();
        Path first = firstStore.database().path();
        String suffix = first.getFileName().toString().substring(Shards.databaseName(firstStore.shard()).length());
        Path beyond = first.resolveSibling(Shards.databaseName(count) + suffix);
        if (Files.exists(beyond)) {
            throw new ChatException("shard file " + beyond.getFileName() + " exists beside the " + count
                    + " configured (shards=" + count + "); its rooms would be hidden: configure the shard count"
                    + " these files were written with");
        }
        List<MessageStore> unstamped = new ArrayList<>();
        for (MessageStore store : shards) {
            Optional<int[]> recorded = readOne(store, "SELECT shard, shards FROM shard_layout",
                    rs -> new int[] {rs.getInt(1), rs.getInt(2)});
            if (recorded.isEmpty()) {
                unstamped.add(store);
                continue;
            }
            String name = store.database().name();
            int[] layout = recorded.get();
            if (layout[1] != count) {
                throw mismatch(name, layout[1], count);
            }
            if (layout[0] != store.shard()) {
                throw new ChatException("database '" + name + "' holds shard " + layout[0] + " of " + layout[1]
                        + ", not shard " + store.shard() + ": the shard files were renamed or swapped");
            }
        }
        for (MessageStore store : unstamped) {
            for (String room : read(store, "SELECT DISTINCT room FROM messages", rs -> rs.getString(1))) {
                int home = Shards.of(room, count);
                if (home != store.shard()) {
                    throw new ChatException("database '" + store.database().name() + "' has no shard layout"
                            + " (written before layouts were recorded) and holds room '" + room + "', which"
                            + " shards=" + count + " places in '" + Shards.databaseName(home) + "': configure the"
                            + " shard count these files were written with");
                }
            }
        }
        for (MessageStore store : unstamped) {
            try {
                store.database().update("INSERT INTO shard_layout(shard, shards) SELECT ?, ?"
                        + " WHERE NOT EXISTS (SELECT 1 FROM shard_layout)", store.shard(), count);
            } catch (PoolException e) {
                throw failure(store, e);
            }
        }
    }

    /**
     * Checks shard 0's recorded count, if any, before the other files are opened: opening them would create
     * the missing ones, and an extra file left by a wrong count would then block the right one.
     */
    static void checkFirst(Database first, int count) {
        Optional<Integer> recorded;
        try {
            recorded = first.queryOne("SELECT shards FROM shard_layout", rs -> rs.getInt(1));
        } catch (PoolException e) {
            throw new ChatException("cannot check the shard layout of database '" + first.name() + "': "
                    + e.getMessage(), e);
        }
        if (recorded.isPresent() && recorded.get() != count) {
            throw mismatch(first.name(), recorded.get(), count);
        }
    }

    private static ChatException mismatch(String name, int recorded, int configured) {
        return new ChatException("database '" + name + "' belongs to a layout of " + recorded
                + " shards but the chat service is configured with shards=" + configured
                + "; rooms are placed by a hash modulo the shard count, so changing it would hide every"
                + " room's history: configure shards=" + recorded);
    }

    private static <T> List<T> read(MessageStore store, String sql, RowMapper<T> mapper) {
        try {
            return store.database().query(sql, mapper);
        } catch (PoolException e) {
            throw failure(store, e);
        }
    }

    private static <T> Optional<T> readOne(MessageStore store, String sql, RowMapper<T> mapper) {
        List<T> rows = read(store, sql, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private static ChatException failure(MessageStore store, PoolException e) {
        return new ChatException("cannot check the shard layout of database '" + store.database().name() + "': "
                + e.getMessage(), e);
    }
}
