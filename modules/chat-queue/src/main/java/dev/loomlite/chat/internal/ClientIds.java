package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolSaturatedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Service-wide uniqueness of {@code (authorId, clientId)} over shard files. The unique index is per file,
 * and a room lives in one file, so each send is checked twice, both times in its room's loop, just before
 * its batch is written: here, by point reads of every <em>other</em> shard (one read task per shard and
 * batch, indexed by {@code messages_author_client}); and in its own shard inside the batch's write
 * transaction ({@link MessageStore#persist}). Checking per batch rather than per send keeps the reads off
 * the senders' path (one hand-off per shard and batch instead of one per send).
 *
 * <p>Why no cross-file transaction: SQLite commits one file atomically, not several (ATTACH would also put
 * every shard behind one writer, undoing the sharding). Instead the service's in-flight map makes a send the
 * only one of its key in the process from its acceptance until its outcome is known (after its commit), so
 * no write of the same key can slip in between the check and the insert. What is left: a send whose
 * outcome was reported unknown (a write deadline that passed while the write ran, or a shutdown during the
 * write) may commit after its caller was answered; a reuse of its client id in a room of another shard in
 * that window is not detected. Clients retry with the same room and content, which stays exactly-once.
 *
 * <pre>{@code
 * List<Pending> toWrite = ClientIds.screen(shards, ownShard, batch, counters);
 * }</pre>
 */
final class ClientIds {
    private ClientIds() {
    }

    /**
     * Answers the sends of {@code batch} whose key is stored in a shard other than {@code own}: a replay when
     * it is the same send, else a {@link dev.loomlite.chat.ClientIdConflictException} (a room lives in one
     * shard, so a row elsewhere is another room). Runs on the room's loop (a fork of its step).
     *
     * @return the sends still to write, in batch order
     * @throws ChatException when a read failed; nothing was stored
     */
    static List<Pending> screen(List<MessageStore> shards, int own, List<Pending> batch, Counters counters) {
        List<Pending> remaining = batch;
        for (int i = 0; i < shards.size() && !remaining.isEmpty(); i++) {
            if (i != own) {
                remaining = answerFound(shards.get(i), remaining, counters);
            }
        }
        return remaining;
    }

    private static List<Pending> answerFound(MessageStore shard, List<Pending> sends, Counters counters) {
        List<ChatMessage> earlier;
        try {
            earlier = shard.byClientIds(sends);
        } catch (PoolException e) {
            throw readFailure(shard, e);
        }
        List<Pending> remaining = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            Pending pending = sends.get(i);
            ChatMessage found = earlier.get(i);
            if (found == null) {
                remaining.add(pending);
                continue;
            }
            switch (MessageStore.replayOrConflict(found, pending.request())) {
                case Outcome.Replayed r -> {
                    counters.replayed.increment();
                    pending.result().complete(new SendResult(found, true));
                }
                case Outcome.Refused(ChatException error) -> pending.result().completeExceptionally(error);
                case Outcome.Stored st -> throw new IllegalStateException("not an earlier outcome");
            }
        }
        return remaining.size() == sends.size() ? sends : remaining;
    }

    private static ChatException readFailure(MessageStore shard, PoolException e) {
        String where = "checking client ids in database '" + shard.database().name() + "'";
        return switch (e) {
            case PoolSaturatedException s -> new QueueSaturatedException(where + ": storage read queue is full ("
                    + s.depth() + " queued, limit " + s.limit() + "); nothing was stored", Room.RETRY_AFTER);
            case PoolClosedException c -> new ChatClosedException(where + ": storage is closed; nothing was stored");
            default -> new ChatException(where + " failed (" + e.getMessage() + "); nothing was stored", e);
        };
    }
}
