package dev.loomlite.chat;

import java.time.Instant;
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
 * @param seq        per-room sequence number, gapless from 1
 * @param clientId   the client's id for the send
 * @param authorId   the sender's id ({@link SendRequest#authorId()})
 * @param authorName the sender's display name when sent ({@link SendRequest#authorName()})
 * @param content    the text, as sent
 * @param replyToId  the message it answers, if any
 * @param createdAt  when the pipeline accepted it (millisecond precision)
 */
public record ChatMessage(long messageId, String roomId, long seq, String clientId, String authorId, String authorName,
                          String content, OptionalLong replyToId, Instant createdAt) {
}
