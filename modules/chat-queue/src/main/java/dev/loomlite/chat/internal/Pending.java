package dev.loomlite.chat.internal;

import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.SendResult;
import java.util.concurrent.CompletableFuture;

/**
 * An accepted send waiting in its room's queue. The future is completed once, by the room's loop (or by
 * shutdown), and is shared by concurrent duplicates of the same {@code (authorId, clientId)}.
 */
record Pending(SendRequest request, CompletableFuture<SendResult> result) {
    Pending(SendRequest request) {
        this(request, new CompletableFuture<>());
    }
}
