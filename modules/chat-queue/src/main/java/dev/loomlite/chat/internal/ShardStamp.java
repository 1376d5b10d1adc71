package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which node owns a shard file, recorded in the file itself (docs/cluster-design.md §4.2), so that two nodes whose
 * maps disagree cannot both write it. A cluster node stamps every shard file it opens with its id and map version;
 * it refuses a file stamped by another node unless its own map is newer (the shard moved to it), and a missing file
 * of a shard that moved to it (its history must arrive as its previous owner's file, not start over). Without a
 * cluster (map version 0) nothing is written and a stamped file is refused: it belongs to a cluster node.
 *
 * <pre>{@code
 * ShardStamp.requireFile(pool, placement, 5);           // before pool.database creates the file
 * long epoch = ShardStamp.apply(db, placement, 5, now);  // once it is open and migrated
 * }</pre>
 *
 * Runs on the thread that opens the chat service, before any room exists.
 */
final class ShardStamp {
    private static final System.Logger LOG = System.getLogger(ShardStamp.class.getName());

    private ShardStamp() {
    }

    /** A file's stamp: the node that opened it as owner and that node's map version then. */
    record Stamp(String node, long mapVersion) {
    }

    /**
     * Refuses to start when the file of owned {@code shard} is missing and the placement says it moved here: creating
     * it empty would restart its rooms at seq 1 beside the old owner's history.
     */
    static void requireFile(SqlitePool pool, Placement placement, int shard) {
        Path file = pool.config().file(Shards.databaseName(shard));
        if (!placement.mayCreate(shard) && !Files.exists(file)) {
            throw new ChatException("shard " + shard + " moved to node '" + placement.nodeId() + "' (map version "
                    + placement.mapVersion() + ") but " + file.getFileName() + " is missing in " + file.getParent()
                    + ": copy it from its previous owner before starting this node");
        }
    }

    /**
     * Checks and updates the stamp of the open, migrated file of owned {@code shard}, and returns the shard's current
     * epoch.
     *
     * @throws ChatException when the file belongs to another node (or to a newer map of this one)
     */
    static long apply(Database db, Placement placement, int shard, long nowMillis) {
        try {
            Optional<Stamp> stamp = db.queryOne("SELECT node, map_version FROM shard_stamp",
                    rs -> new Stamp(rs.getString(1), rs.getLong(2)));
            String node = placement.nodeId();
            long version = placement.mapVersion();
            if (stamp.isPresent()) {
                Stamp s = stamp.get();
                boolean same = s.node().equals(node);
                if (!(same ? version >= s.mapVersion() : version > s.mapVersion())) {
                    throw new ChatException(db.path().getFileName() + " was stamped by node '" + s.node()
                            + "' at map version " + s.mapVersion() + "; this node ('" + node + "') has map version "
                            + version + ", " + (same ? "older" : "not newer") + ": it does not own this file");
                }
                if (!same) {
                    LOG.log(System.Logger.Level.INFO, "shard {0} moves from node ''{1}'' (map version {2}) to this"
                            + " node ''{3}'' (map version {4})", shard, s.node(), s.mapVersion(), node, version);
                }
                if (!same || version > s.mapVersion()) {
                    db.update("UPDATE shard_stamp SET node = ?, map_version = ?, stamped_at = ?", node, version, nowMillis);
                }
            } else if (version >= 1) {
                // A standalone file joining a cluster, or a new one: from now on only this node may write it.
                db.write(session -> {
                    session.update("INSERT INTO shard_stamp(node, map_version, stamped_at) VALUES (?, ?, ?)",
                            node, version, nowMillis);
                    session.update("INSERT OR IGNORE INTO shard_epochs(epoch, node, map_version, first_rowid, started_at)"
                            + " VALUES (1, ?, ?, 0, ?)", node, version, nowMillis);
                    return null;
                });
            }
            return db.queryOne("SELECT coalesce(max(epoch), 1) FROM shard_epochs", rs -> rs.getLong(1)).orElse(1L);
        } catch (PoolException e) {
            throw new ChatException("cannot check the owner stamp of database '" + db.name() + "': " + e.getMessage(), e);
        }
    }
}
