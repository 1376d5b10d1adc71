package dev.loomlite.server.spi;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A send as a gateway forwards it: the author from the gateway's session, the rest from the client's body, already
 * checked by the gateway's input rules.
 *
 * <pre>{@code
 * new ForwardedSend(user.userId(), user.name(), body.clientId(), body.content(), OptionalLong.empty());
 * }</pre>
 */
public record ForwardedSend(String authorId, String authorName, String clientId, String content, OptionalLong replyToId) {
    public ForwardedSend {
        Objects.requireNonNull(authorId, "authorId");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(replyToId, "replyToId");
    }
}
