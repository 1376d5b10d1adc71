package dev.loomlite.chat.internal;

import dev.loomlite.chat.SendRequest;

/**
 * What identifies a send: {@code (authorId, clientId)}. The key of the in-flight map and of the client-id
 * screen's lookups; the same pair as the unique index {@code messages_author_client}.
 */
record ClientKey(String authorId, String clientId) {
    static ClientKey of(SendRequest request) {
        return new ClientKey(request.authorId(), request.clientId());
    }
}
