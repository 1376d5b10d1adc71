package dev.loomlite.chat;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One send. The pipeline validates it with {@link InputRules} ({@link ValidationException} names the field and
 * the limit).
 *
 * <pre>{@code
 * SendRequest r = SendRequest.of("general", "u1", "Alice", "c-42", "hello").replyingTo(17);
 * }</pre>
 *
 * @param roomId     {@code [a-z0-9][a-z0-9-]{0,63}}
 * @param authorId   the sender's stable id (never taken from a request body)
 * @param authorName the sender's display name at the time of sending
 * @param clientId   1 to 64 of {@code [A-Za-z0-9_-]}, chosen by the client, the same on every retry
 * @param content    non-empty after trimming, at most 4000 characters, no control characters but \n and \t
 * @param replyToId  the message id this one answers, if any
 */
public record SendRequest(String roomId, String authorId, String authorName, String clientId, String content,
                          OptionalLong replyToId) {
    public SendRequest {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(replyToId, "replyToId");
    }

    /** A request that replies to nothing. */
    public static SendRequest of(String roomId, String authorId, String authorName, String clientId, String content) {
        return new SendRequest(roomId, authorId, authorName, clientId, content, OptionalLong.empty());
    }

    /** The same request, replying to {@code messageId}. */
    public SendRequest replyingTo(long messageId) {
        return new SendRequest(roomId, authorId, authorName, clientId, content, OptionalLong.of(messageId));
    }
}
