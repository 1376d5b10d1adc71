package dev.loomlite.chat.client;

import dev.loomlite.chat.InputRules;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One message as the outbox sends it: the same {@code clientId} on every attempt, so a retry after a lost
 * reply is answered as a replay by the server instead of stored twice. Validated with the server's {@link InputRules}.
 *
 * <pre>{@code
 * OutgoingMessage m = OutgoingMessage.of("general", "c-1", "hello");
 * outbox.enqueue(m);   // e.g. to restore an outbox saved before a restart
 * }</pre>
 *
 * @param roomId    the room, {@code [a-z0-9][a-z0-9-]{0,63}}
 * @param clientId  1 to 64 of {@code [A-Za-z0-9_-]}
 * @param content   non-empty after trimming, at most 4000 UTF-16 characters, no control characters but \n and \t
 * @param replyToId the message it answers, if any
 */
public record OutgoingMessage(String roomId, String clientId, String content, OptionalLong replyToId) {
    public OutgoingMessage {
        InputRules.checkRoomId(roomId);
        InputRules.checkClientId(clientId);
        InputRules.checkContent(content);
        Objects.requireNonNull(replyToId, "replyToId");
        if (replyToId.isPresent()) {
            InputRules.checkReplyToId(replyToId.getAsLong());
        }
    }

    /** A message that replies to nothing. */
    public static OutgoingMessage of(String roomId, String clientId, String content) {
        return new OutgoingMessage(roomId, clientId, content, OptionalLong.empty());
    }
}
