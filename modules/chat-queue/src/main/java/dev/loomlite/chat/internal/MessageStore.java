package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ClientIdConflictException;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.ValidationException;
import dev.loomlite.chat.internal.json.JsonStrings;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Session;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SQL of one shard. {@link #persist} runs inside one group-committed write; the reads run on the pool's
 * reader threads. Stateless apart from its database: safe from any thread.
 */
final class MessageStore {
    private static final String COLUMNS = "id, room, seq, author_id, author, client_id, content, reply_to, created_at,"
            + " epoch";
    // The row id is given, not taken from RETURNING: a RETURNING insert cost the writer about 30 % more CPU per
    // message (measured in ChatLoad), and the writer's CPU is what bounds a shard's send rate.
    private static final String INSERT = "INSERT INTO messages(id, room, seq, author_id, author, client_id, content,"
            + " reply_to, created_at, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (client_id, author_id) DO NOTHING";
    // The first seq of the shard's epoch in this room: the first batch of the epoch that stores a message writes it.
    private static final String ROOM_EPOCH = "INSERT OR IGNORE INTO room_epochs(room, epoch, first_seq) VALUES (?, ?, ?)";
    // A room's end and, for a cursor of epoch ?, the first seq of the next epoch that replaced part of its history.
    private static final String POSITION = "SELECT (SELECT coalesce(max(seq), 0) FROM messages WHERE room = ?),"
            + " (SELECT min(first_seq) FROM room_epochs WHERE room = ? AND epoch > ?)";
    // The same for a JSON array of [room, clientEpoch] pairs, each row tagged with its pair's index.
    private static final String POSITIONS = "SELECT k.key,"
            + " (SELECT coalesce(max(seq), 0) FROM messages WHERE room = k.value ->> 0),"
            + " (SELECT min(first_seq) FROM room_epochs WHERE room = k.value ->> 0 AND epoch > k.value ->> 1)"
            + " FROM json_each(?) AS k";
    // Both ends are one B-tree descent: the room's last seq in messages_room_seq, the last row id in the table.
    private static final String LAST_SEQ_AND_ID = "SELECT (SELECT coalesce(max(seq), 0) FROM messages WHERE room = ?),"
            + " (SELECT coalesce(max(id), 0) FROM messages)";

    private static final String BY_CLIENT_ID = "SELECT " + COLUMNS + " FROM messages WHERE author_id = ? AND client_id = ?";
    // A whole batch's keys in one statement: the JSON array of [authorId, clientId] pairs drives one index
    // search per pair (CROSS JOIN keeps json_each as the outer loop).
    // Each row carries the index of its pair in the array (k.key), so results are placed by position, never
    // by comparing the stored text with the sent one.
    private static final String BY_CLIENT_IDS = "SELECT k.key, m.id, m.room, m.seq, m.author_id, m.author,"
            + " m.client_id, m.content, m.reply_to, m.created_at, m.epoch FROM json_each(?) AS k CROSS JOIN messages AS m"
            + " ON m.author_id = k.value ->> 0 AND m.client_id = k.value ->> 1";

    private final Database db;
    private final int shard;
    // The keys this shard may hold, for the other shards' client-id screens; null when the service has one
    // shard (nothing screens it). Added to by persist on the writer thread, read by other rooms' loops.
    private final KeyFilter keys;
    private final RowMapper<ChatMessage> mapper;
    // The shard's current epoch (ShardStamp reads it at open); fixed while the file is open.
    private final long epoch;

    MessageStore(Database db, int shard, KeyFilter keys) {
        this(db, shard, keys, 1);
    }

    MessageStore(Database db, int shard, KeyFilter keys, long epoch) {
        this.db = db;
        this.shard = shard;
        this.keys = keys;
        this.epoch = epoch;
        this.mapper = rs -> message(rs, 0);
    }

    /** The message in columns {@code offset + 1 ..} of the row, in the order of {@link #COLUMNS}. */
    private ChatMessage message(ResultSet rs, int offset) throws SQLException {
        long replyTo = rs.getLong(offset + 8);
        OptionalLong reply = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(replyTo);
        return new ChatMessage(Shards.messageId(rs.getLong(offset + 1), shard), rs.getString(offset + 2),
                rs.getLong(offset + 3), rs.getString(offset + 6), rs.getString(offset + 4), rs.getString(offset + 5),
                rs.getString(offset + 7), reply, Instant.ofEpochMilli(rs.getLong(offset + 9)), rs.getLong(offset + 10));
    }

    Database database() {
        return db;
    }

    /** This store's shard index. */
    int shard() {
        return shard;
    }

    /** The shard's current epoch: every message it stores now gets it. */
    long epoch() {
        return epoch;
    }

    /** The keys this shard may hold; null when the service has a single shard. */
    KeyFilter keys() {
        return keys;
    }

    /** The shard's largest row id: how many messages it holds, near enough to size its {@link KeyFilter}. */
    static long lastRowid(Database db) {
        return db.queryOne("SELECT coalesce(max(id), 0) FROM messages", rs -> rs.getLong(1)).orElse(0L);
    }

    /**
     * Stores a batch of one room inside the caller's write transaction: each send is inserted with the next
     * {@code seq} unless {@code (author, clientId)} exists (then it is a replay or a conflict, and takes no seq).
     * Runs on the writer thread.
     */
    List<Outcome> persist(Session session, String room, List<Pending> batch, long nowMillis) throws SQLException {
        long[] last = session.queryOne(LAST_SEQ_AND_ID, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, room)
                .orElseThrow(() -> new SQLException("SELECT of the last seq and id returned no row"));
        long seq = last[0];
        long rowid = last[1];
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            SendRequest r = pending.request();
            if (r.replyToId().isPresent() && !inRoom(session, r.replyToId().getAsLong(), room)) {
                outcomes.add(earlier(session, r).orElseGet(() -> new Outcome.Refused(new ValidationException("replyToId",
                        "replyToId must name a message of the same room"))));
                continue;
            }
            // One statement on the common path: the unique (client_id, author_id) decides new or earlier, and
            // a row that was not inserted takes neither the seq nor the id.
            Long replyTo = r.replyToId().isPresent() ? r.replyToId().getAsLong() : null;
            int inserted = session.update(INSERT, rowid + 1, room, seq + 1, r.authorId(), r.authorName(), r.clientId(),
                    r.content(), replyTo, nowMillis, epoch);
            if (inserted == 1) {
                if (keys != null) {
                    // Still inside the transaction, so before the row can commit: the filter never lags the
                    // file. Only new rows: replays and conflicts are in it already, and must not grow it.
                    keys.add(r.authorId(), r.clientId());
                }
                rowid++;
                seq++;
                outcomes.add(new Outcome.Stored(new ChatMessage(Shards.messageId(rowid, shard), room, seq,
                        r.clientId(), r.authorId(), r.authorName(), r.content(), r.replyToId(),
                        Instant.ofEpochMilli(nowMillis), epoch)));
            } else {
                outcomes.add(earlier(session, r).orElseThrow(() -> new SQLException(
                        "insert of a send in room '" + room + "' was ignored but no earlier send exists")));
            }
        }
        if (epoch > 1 && seq > last[0]) {
            // Epoch 1 needs no row (no row means 1), so a file that never changed epoch pays nothing here.
            session.update(ROOM_EPOCH, room, epoch, last[0] + 1);
        }
        return outcomes;
    }

    /**
     * Where the room ends, for a cursor of {@code clientEpoch} (docs/cluster-design.md §4.3): a cursor from a later
     * epoch than the shard's may keep nothing (the file was restored from before it); otherwise it may keep every seq
     * below the first one a later epoch than its own replaced. One statement on a reader thread.
     */
    RoomPosition position(String room, long clientEpoch) {
        return db.queryOne(POSITION, rs -> positionOf(rs, 1, clientEpoch), room, room, clientEpoch).orElseThrow();
    }

    /** {@link #position} of several rooms of this shard in one statement, in the order asked. */
    List<RoomPosition.Named> positions(List<RoomRef> rooms) {
        StringBuilder json = new StringBuilder(rooms.size() * 32).append('[');
        for (RoomRef ref : rooms) {
            json.append(json.length() > 1 ? ",[" : "[");
            JsonStrings.append(json, ref.roomId());
            json.append(',').append(ref.clientEpoch()).append(']');
        }
        json.append(']');
        List<RoomPosition.Named> out = new ArrayList<>(Collections.nCopies(rooms.size(), null));
        db.query(POSITIONS, rs -> {
            int i = rs.getInt(1);
            out.set(i, new RoomPosition.Named(rooms.get(i).roomId(), positionOf(rs, 2, rooms.get(i).clientEpoch())));
            return i;
        }, json.toString());
        return out;
    }

    /** The position from a row's {@code (lastSeq, first seq of a later epoch or null)} at {@code column}. */
    private RoomPosition positionOf(ResultSet rs, int column, long clientEpoch) throws SQLException {
        long lastSeq = rs.getLong(column);
        long nextEpochStart = rs.getLong(column + 1);
        boolean replaced = !rs.wasNull();
        if (clientEpoch > epoch) {
            return new RoomPosition(epoch, lastSeq, 0);
        }
        return new RoomPosition(epoch, lastSeq, replaced ? Math.clamp(nextEpochStart - 1, 0, lastSeq) : lastSeq);
    }

    /** The replay or conflict outcome when {@code (authorId, clientId)} was stored before. */
    private Optional<Outcome> earlier(Session session, SendRequest r) throws SQLException {
        return session.queryOne(BY_CLIENT_ID, mapper, r.authorId(), r.clientId()).map(m -> replayOrConflict(m, r));
    }

    /**
     * For each send, the message stored in this shard under its {@code (author, clientId)}, if any (null
     * where none): one read task and one statement for the whole list, on a reader thread.
     */
    List<ChatMessage> byClientIds(List<Pending> sends) {
        record Found(int index, ChatMessage message) {
        }
        List<ChatMessage> aligned = new ArrayList<>(Collections.nCopies(sends.size(), null));
        for (Found f : db.query(BY_CLIENT_IDS, rs -> new Found(rs.getInt(1), message(rs, 1)), keysJson(sends))) {
            aligned.set(f.index(), f.message());
        }
        return aligned;
    }

    /** The JSON array {@code [[authorId, clientId], ...]} of the sends, for {@link #BY_CLIENT_IDS}. */
    static String keysJson(List<Pending> sends) {
        StringBuilder json = new StringBuilder(sends.size() * 48).append('[');
        for (Pending p : sends) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('[');
            JsonStrings.append(json, p.request().authorId());
            json.append(',');
            JsonStrings.append(json, p.request().clientId());
            json.append(']');
        }
        return json.append(']').toString();
    }

    /** The earlier message answers the send when it is the same message; anything else is a conflict. */
    static Outcome replayOrConflict(ChatMessage earlier, SendRequest r) {
        if (sameSend(earlier, r)) {
            return new Outcome.Replayed(earlier);
        }
        return new Outcome.Refused(new ClientIdConflictException(
                "clientId was already used by this author for a different message (room, content or reply differ)"));
    }

    static boolean sameSend(ChatMessage earlier, SendRequest r) {
        return earlier.roomId().equals(r.roomId()) && earlier.content().equals(r.content())
                && Objects.equals(earlier.replyToId(), r.replyToId());
    }

    private boolean inRoom(Session session, long messageId, String room) throws SQLException {
        return Shards.shardOf(messageId) == shard && session.queryOne(
                "SELECT 1 FROM messages WHERE id = ? AND room = ?", rs -> 1, Shards.rowidOf(messageId), room).isPresent();
    }

    /** A page of history, ascending by seq. */
    HistoryPage history(String room, HistoryQuery q) {
        int fetch = q.limit() + 1;
        List<ChatMessage> rows = switch (q.direction()) {
            case AFTER -> db.query("SELECT " + COLUMNS + " FROM messages WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?",
                    mapper, room, q.seq(), fetch);
            case BEFORE -> db.query("SELECT " + COLUMNS
                    + " FROM messages WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?", mapper, room, q.seq(), fetch);
            case LATEST -> db.query("SELECT " + COLUMNS + " FROM messages WHERE room = ? ORDER BY seq DESC LIMIT ?",
                    mapper, room, fetch);
        };
        boolean more = rows.size() > q.limit();
        List<ChatMessage> page = new ArrayList<>(more ? rows.subList(0, q.limit()) : rows);
        if (q.direction() != HistoryQuery.Direction.AFTER) {
            Collections.reverse(page);
        }
        return new HistoryPage(page, more);
    }

    /** Every room of this shard with its last seq. */
    List<RoomInfo> rooms() {
        return db.query("SELECT room, max(seq) FROM messages GROUP BY room", rs -> new RoomInfo(rs.getString(1), rs.getLong(2)));
    }
}
