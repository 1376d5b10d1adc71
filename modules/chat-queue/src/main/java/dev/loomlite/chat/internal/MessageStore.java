package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ClientIdConflictException;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.ValidationException;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Session;
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
    private static final String COLUMNS = "id, room, seq, author_id, author, client_id, content, reply_to, created_at";
    private static final String INSERT = "INSERT INTO messages(room, seq, author_id, author, client_id, content, reply_to,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (author_id, client_id) DO NOTHING RETURNING id";

    private static final String BY_CLIENT_ID = "SELECT " + COLUMNS + " FROM messages WHERE author_id = ? AND client_id = ?";

    private final Database db;
    private final int shard;
    private final RowMapper<ChatMessage> mapper;

    MessageStore(Database db, int shard) {
        this.db = db;
        this.shard = shard;
        this.mapper = rs -> {
            long replyTo = rs.getLong(8);
            OptionalLong reply = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(replyTo);
            return new ChatMessage(Shards.messageId(rs.getLong(1), shard), rs.getString(2), rs.getLong(3),
                    rs.getString(6), rs.getString(4), rs.getString(5), rs.getString(7), reply,
                    Instant.ofEpochMilli(rs.getLong(9)));
        };
    }

    Database database() {
        return db;
    }

    /** This store's shard index. */
    int shard() {
        return shard;
    }

    /**
     * Stores a batch of one room inside the caller's write transaction: each send is inserted with the next
     * {@code seq} unless {@code (author, clientId)} exists (then it is a replay or a conflict, and takes no seq).
     * Runs on the writer thread.
     */
    List<Outcome> persist(Session session, String room, List<Pending> batch, long nowMillis) throws SQLException {
        long seq = session.queryOne("SELECT coalesce(max(seq), 0) FROM messages WHERE room = ?", rs -> rs.getLong(1), room)
                .orElse(0L);
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            SendRequest r = pending.request();
            if (r.replyToId().isPresent() && !inRoom(session, r.replyToId().getAsLong(), room)) {
                outcomes.add(earlier(session, r).orElseGet(() -> new Outcome.Refused(new ValidationException("replyToId",
                        "replyToId must name a message of the same room"))));
                continue;
            }
            // One statement on the common path: the unique (author_id, client_id) decides new or earlier.
            Long replyTo = r.replyToId().isPresent() ? r.replyToId().getAsLong() : null;
            Optional<Long> rowid = session.queryOne(INSERT, rs -> rs.getLong(1),
                    room, seq + 1, r.authorId(), r.authorName(), r.clientId(), r.content(), replyTo, nowMillis);
            if (rowid.isPresent()) {
                seq++;
                outcomes.add(new Outcome.Stored(new ChatMessage(Shards.messageId(rowid.get(), shard), room, seq,
                        r.clientId(), r.authorId(), r.authorName(), r.content(), r.replyToId(),
                        Instant.ofEpochMilli(nowMillis))));
            } else {
                outcomes.add(earlier(session, r).orElseThrow(() -> new SQLException(
                        "insert of a send in room '" + room + "' was ignored but no earlier send exists")));
            }
        }
        return outcomes;
    }

    /** The replay or conflict outcome when {@code (authorId, clientId)} was stored before. */
    private Optional<Outcome> earlier(Session session, SendRequest r) throws SQLException {
        return session.queryOne(BY_CLIENT_ID, mapper, r.authorId(), r.clientId()).map(m -> replayOrConflict(m, r));
    }

    /**
     * For each send, the message stored in this shard under its {@code (author, clientId)}, if any (null
     * where none): one read task, one indexed point lookup per send, on a reader thread.
     */
    List<ChatMessage> byClientIds(List<Pending> sends) {
        return db.read(session -> {
            List<ChatMessage> found = new ArrayList<>(sends.size());
            for (Pending p : sends) {
                found.add(session.queryOne(BY_CLIENT_ID, mapper, p.request().authorId(), p.request().clientId()).orElse(null));
            }
            return found;
        });
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
