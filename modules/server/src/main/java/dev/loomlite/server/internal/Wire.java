package dev.loomlite.server.internal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.RoomInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalLong;

/**
 * The API's JSON shapes, field names exactly as the API documents them. Requests are read leniently about
 * unknown fields and strictly about types (see {@link Json}); responses are written in a fixed field order so
 * that a replayed send is byte-for-byte the original.
 */
final class Wire {
    /** ISO-8601 UTC with milliseconds always present: {@code 2026-11-27T06:50:24.100Z}. */
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Wire() {
    }

    /** {@code POST /api/session} body. */
    record SessionRequest(String name) {
    }

    /** The session's user: {@code POST} and {@code GET /api/session}. */
    @JsonPropertyOrder({"userId", "name"})
    record UserView(String userId, String name) {
        static UserView of(Sessions.User user) {
            return new UserView(user.userId(), user.name());
        }
    }

    /** {@code POST /api/rooms/{roomId}/messages} body; the author comes from the session, never from here. */
    record SendBody(String clientId, String content, Long replyToId) {
    }

    /**
     * One stored message, as sent, replayed, listed and broadcast. {@code author} is the sender's display name
     * ({@link ChatMessage#authorName()}): the API's field name since its first release, kept so clients go on working.
     * {@code epoch} came last, after the others, so that clients which predate it read the rest unchanged (absent
     * means 1). Also the message shape of the cluster's internal routes and NATS payloads
     * ({@link dev.loomlite.server.spi.MessageCodec}): one definition.
     */
    @JsonPropertyOrder({"messageId", "roomId", "seq", "clientId", "author", "authorId", "content", "replyToId", "createdAt",
            "epoch"})
    record MessageView(long messageId, String roomId, long seq, String clientId, String author, String authorId,
                       String content, Long replyToId, String createdAt, Long epoch) {
        static MessageView of(ChatMessage m) {
            Long replyTo = m.replyToId().isPresent() ? m.replyToId().getAsLong() : null;
            return new MessageView(m.messageId(), m.roomId(), m.seq(), m.clientId(), m.authorName(), m.authorId(),
                    m.content(), replyTo, CREATED_AT.format(m.createdAt()), m.epoch());
        }

        /** The message this view shows; a view without {@code epoch} (written before it existed) is epoch 1. */
        ChatMessage toMessage() {
            present("roomId", roomId);
            present("clientId", clientId);
            present("author", author);
            present("authorId", authorId);
            present("content", content);
            present("createdAt", createdAt);
            OptionalLong replyTo = replyToId == null ? OptionalLong.empty() : OptionalLong.of(replyToId);
            return new ChatMessage(messageId, roomId, seq, clientId, authorId, author, content, replyTo,
                    Instant.parse(createdAt), epoch == null ? 1 : epoch);
        }
    }

    private static void present(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing");
        }
    }

    /** {@code GET /api/rooms/{roomId}/messages}. */
    @JsonPropertyOrder({"messages", "hasMore"})
    record HistoryView(List<MessageView> messages, boolean hasMore) {
        static HistoryView of(HistoryPage page) {
            return new HistoryView(page.messages().stream().map(MessageView::of).toList(), page.hasMore());
        }

        HistoryPage toPage() {
            return new HistoryPage(messages.stream().map(MessageView::toMessage).toList(), hasMore);
        }
    }

    /** One entry of {@code GET /api/rooms}. */
    @JsonPropertyOrder({"roomId", "lastSeq"})
    record RoomView(String roomId, long lastSeq) {
        static RoomView of(RoomInfo room) {
            return new RoomView(room.roomId(), room.lastSeq());
        }
    }

    /**
     * The stream ends (too slow, or the server is stopping): reconnect with the last {@code seq} seen. */
    @JsonPropertyOrder({"type", "reason"})
    record ResetFrame(String type, String reason) {
        static ResetFrame of(String reason) {
            return new ResetFrame("reset", reason);
        }
    }

    /**
     * The subscriber's cursor is past what it may keep of the room (a restore, commits lost to a power loss, or a
     * history replaced from a later epoch on): it drops what it holds above {@code lastSeq}, reloads the room and
     * reconnects with {@code epoch}, the room's current one. Followed by close 4409.
     */
    @JsonPropertyOrder({"type", "lastSeq", "epoch", "reason"})
    record ResyncFrame(String type, long lastSeq, long epoch, String reason) {
        static ResyncFrame of(long lastSeq, long epoch, String reason) {
            return new ResyncFrame("resync", lastSeq, epoch, reason);
        }
    }
}
