package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolSaturatedException;
import java.util.List;
import java.util.Optional;

/**
 * Service-wide uniqueness of {@code (authorId, clientId)} over shard files. The unique index is per file,
 * and a room lives in one file, so a send is checked twice: here, before it is queued, by a point read of
 * every <em>other</em> shard (indexed by {@code messages_author_client}); and in its own shard inside the
 * batch's write transaction ({@link MessageStore#persist}).
 *
 * <p>Why no cross-file transaction: SQLite commits one file atomically, not several (ATTACH would also put
 * every shard behind one writer, undoing the sharding). Instead the service's in-flight map makes a send the
 * only one of its key in the process from before this check until its outcome is known (after its commit),
 * so no write of the same key can slip in between the check and the insert. What is left: a send whose
 * outcome was reported unknown (a write deadline that passed while the write ran, or a shutdown during the
 * write) may commit after its caller was answered; a reuse of its client id in a room of another shard in
 * that window is not detected. Clients retry with the same room and content, which stays exactly-once.
 *
 * <pre>{@code
 * if (!ClientIds.answeredFromOtherShard(shards, pending, counters)) { room.enqueue(pending); }
 * }</pre>
 */
final class ClientIds {
    private ClientIds() {
    }

    /**
     * Completes {@code pending} when its key is stored in a shard other than its room's: a replay when it is
     * the same send, else a {@link dev.loomlite.chat.ClientIdConflictException} (a room lives in one shard,
     * so a row elsewhere is another room: in practice always a conflict).
     *
     * @return whether {@code pending} was completed (it must not be queued)
     * @throws ChatException when a read failed; nothing was stored
     */
    static boolean answeredFromOtherShard(List<MessageStore> shards, Pending pending, Counters counters) {
        Optional<ChatMessage> earlier = storedOnOtherShard(shards, pending.request());
        if (earlier.isEmpty()) {
            return false;
        }
        switch (MessageStore.replayOrConflict(earlier.get(), pending.request())) {
            case Outcome.Replayed r -> {
                counters.replayed.increment();
                pending.result().complete(new SendResult(earlier.get(), true));
            }
            case Outcome.Refused(ChatException error) -> pending.result().completeExceptionally(error);
            case Outcome.Stored s -> throw new IllegalStateException("not an earlier outcome");
        }
        return true;
    }

    /** The message stored for the request's key in a shard other than its room's, if any. */
    private static Optional<ChatMessage> storedOnOtherShard(List<MessageStore> shards, SendRequest request) {
        int own = Shards.of(request.roomId(), shards.size());
        for (int i = 0; i < shards.size(); i++) {
            if (i == own) {
                continue;
            }
            MessageStore shard = shards.get(i);
            try {
                Optional<ChatMessage> earlier = shard.byClientId(request.authorId(), request.clientId());
                if (earlier.isPresent()) {
                    return earlier;
                }
            } catch (PoolException e) {
                throw readFailure(shard, e);
            }
        }
        return Optional.empty();
    }

    private static ChatException readFailure(MessageStore shard, PoolException e) {
        String where = "checking the client id in database '" + shard.database().name() + "'";
        return switch (e) {
            case PoolSaturatedException s -> new QueueSaturatedException(where + ": storage read queue is full ("
                    + s.depth() + " queued, limit " + s.limit() + "); nothing was stored", Room.RETRY_AFTER);
            case PoolClosedException c -> new ChatClosedException(where + ": storage is closed; nothing was stored");
            default -> new ChatException(where + " failed (" + e.getMessage() + "); nothing was stored", e);
        };
    }
}
