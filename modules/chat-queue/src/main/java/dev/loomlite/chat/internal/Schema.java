package dev.loomlite.chat.internal;

import dev.loomlite.sqlite.Migration;
import java.util.List;

/**
 * The schema of every shard file, applied by the pool's migrations when the file is first opened.
 *
 * <p>{@code id} is the shard-local row id (see {@link Shards} for the public message id). {@code (room, seq)}
 * is unique and serves history reads and the per-batch {@code max(seq)}; {@code (client_id, author_id)} is
 * unique and is the ground truth of exactly-once: a second insert of a send cannot happen, even across
 * restarts (the client id leads so that time-ordered ids append to the index). {@code created_at} is epoch milliseconds; {@code reply_to} a public message id.
 *
 * <p>{@code shard_layout} holds one row: this file's shard index and the shard count it was created with
 * ({@link ShardLayout}), so a service opened with another count refuses to start instead of looking for
 * rooms in the wrong files.
 *
 * <p>{@code epoch} of a message, {@code shard_epochs} and {@code room_epochs} are a shard's and its rooms' history
 * generations; {@code shard_stamp} the cluster node that owns the file ({@link ShardStamp}).
 */
final class Schema {
    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "chat messages",
            """
            CREATE TABLE messages (
                id         INTEGER PRIMARY KEY,
                room       TEXT    NOT NULL,
                seq        INTEGER NOT NULL,
                author_id  TEXT    NOT NULL,
                author     TEXT    NOT NULL,
                client_id  TEXT    NOT NULL,
                content    TEXT    NOT NULL,
                reply_to   INTEGER,
                created_at INTEGER NOT NULL
            )""",
            "CREATE UNIQUE INDEX messages_room_seq ON messages(room, seq)",
            "CREATE UNIQUE INDEX messages_author_client ON messages(author_id, client_id)"),
            Migration.sql(2, "shard layout", """
            CREATE TABLE shard_layout (
                shard  INTEGER NOT NULL,
                shards INTEGER NOT NULL
            )"""),
            // The same constraint with the client id first: time-ordered client ids (the page's, the outbox's)
            // then land at the index's end instead of in every author's range, a page or so per commit instead of
            // one per message. Rebuilding it on existing data takes about a second per million messages, once.
            Migration.sql(3, "client id first in the exactly-once index",
                    "DROP INDEX messages_author_client",
                    "CREATE UNIQUE INDEX messages_client_author ON messages(client_id, author_id)"),
            // Epochs (docs/cluster-design.md §4): adding a column with a constant default rewrites no row, and a
            // stored 1 costs no record byte. shard_stamp gets a row once a cluster node opened the file (ShardStamp);
            // shard_epochs and room_epochs get rows only when a takeover starts a new epoch: none means epoch 1.
            Migration.sql(4, "epochs and the owner's stamp",
                    "ALTER TABLE messages ADD COLUMN epoch INTEGER NOT NULL DEFAULT 1",
                    """
                    CREATE TABLE shard_stamp (
                        node        TEXT    NOT NULL,
                        map_version INTEGER NOT NULL,
                        stamped_at  INTEGER NOT NULL
                    )""",
                    """
                    CREATE TABLE shard_epochs (
                        epoch       INTEGER PRIMARY KEY,
                        node        TEXT    NOT NULL,
                        map_version INTEGER NOT NULL,
                        first_rowid INTEGER NOT NULL,
                        started_at  INTEGER NOT NULL
                    )""",
                    """
                    CREATE TABLE room_epochs (
                        room      TEXT    NOT NULL,
                        epoch     INTEGER NOT NULL,
                        first_seq INTEGER NOT NULL,
                        PRIMARY KEY (room, epoch)
                    ) WITHOUT ROWID"""));

    private Schema() {
    }
}
