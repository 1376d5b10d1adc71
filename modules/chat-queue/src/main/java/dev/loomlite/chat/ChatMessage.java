package dev.loomlite.chat;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A durable message.
 *
 * <pre>{@code
 * chat.subscribe("general", 0, ChatListener.of(m -> System.out.println(m.seq() + " " + m.authorName() + ": " + m.content())));
 * }</pre>
 *
 * @param messageId  server id, unique within the service
 * @param roomId     the room
 * @param seq        per-room sequence number, gapless from 1 within an epoch's range
 * @param clientId   the client's id for the send
 * @param authorId   the sender's id ({@link SendRequest#authorId()})
 * @param authorName the sender's display name when sent ({@link SendRequest#authorName()})
 * @param content    the text, as sent
 * @param replyToId  the message it answers, if any
 * @param createdAt  when the pipeline accepted it (millisecond precision)
 * @param epoch      the room's history generation, from 1. It rises only when a room's history was replaced from
 *                   the point where a new epoch starts (a takeover from a replica that lost a tail): a client that
 *                   sees a higher epoch than the messages it holds drops them and reloads the room
 */
public record ChatMessage(long messageId, String roomId, long seq, String clientId, String authorId, String authorName,
                          String content, OptionalLong replyToId, Instant createdAt, long epoch) {
    public ChatMessage {
        Objects.requireNonNull(roomId, "roomId");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch of message " + messageId + " in room '" + roomId
                    + "' must be >= 1, was " + epoch);
        }
    }

    /** A message of epoch 1, the only epoch of a room whose history was never replaced. */
    public ChatMessage(long messageId, String roomId, long seq, String clientId, String authorId, String authorName,
                       String content, OptionalLong replyToId, Instant createdAt) {
        this(messageId, roomId, seq, clientId, authorId, authorName, content, replyToId, createdAt, 1);
    }
}
