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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Service-wide uniqueness of {@code (authorId, clientId)} over shard files. The unique index is per file,
 * and a room lives in one file, so each send is checked twice, both times in its room's loop, just before
 * its batch is written: here, against every <em>other</em> shard; and in its own shard inside the batch's
 * write transaction ({@link MessageStore#persist}). The other shards are first asked through their
 * {@link KeyFilter} (in memory), and only the keys it cannot rule out (about 1 %, or all of them while it
 * loads) are read, in one statement per shard and batch ({@link MessageStore#byClientIds}). Checking per
 * batch rather than per send keeps the reads off the senders' path.
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
 * List<Pending> toWrite = ClientIdScreen.screen(shards, ownShard, batch, counters);
 * }</pre>
 */
final class ClientIdScreen {
    private ClientIdScreen() {
    }

    /**
     * Answers the sends of {@code batch} whose key is stored in a shard other than {@code own}: a replay when
     * it is the same send, else a {@link dev.loomlite.chat.ClientIdConflictException} (a room lives in one
     * shard, so a row elsewhere is another room). Runs on the room's loop thread, just before the batch's write.
     *
     * @return the sends still to write, in batch order
     * @throws ChatException when a read failed; nothing was stored
     */
    static List<Pending> screen(List<MessageStore> shards, int own, List<Pending> batch, Counters counters) {
        List<Pending> remaining = batch;
        for (int i = 0; i < shards.size() && !remaining.isEmpty(); i++) {
            MessageStore shard = shards.get(i);
            if (shard.shard() == own) {
                continue;
            }
            List<Pending> candidates = maybeIn(shard.keys(), remaining);
            if (!candidates.isEmpty()) {
                Set<Pending> answered = answerFound(shard, candidates, counters);
                if (!answered.isEmpty()) {
                    remaining = remaining.stream().filter(p -> !answered.contains(p)).toList();
                }
            }
        }
        return remaining;
    }

    /** The sends whose key the shard may hold (all of them while its filter loads). */
    private static List<Pending> maybeIn(KeyFilter keys, List<Pending> sends) {
        if (keys == null || !keys.isLoaded()) {
            return sends;
        }
        List<Pending> maybe = new ArrayList<>();
        for (Pending p : sends) {
            if (keys.mightContain(p.request().authorId(), p.request().clientId())) {
                maybe.add(p);
            }
        }
        return maybe;
    }

    /** Reads the sends' keys in the shard and answers those found; returns them (by identity). */
    private static Set<Pending> answerFound(MessageStore shard, List<Pending> sends, Counters counters) {
        List<ChatMessage> earlier;
        try {
            earlier = shard.byClientIds(sends);
        } catch (PoolException e) {
            throw readFailure(shard, e);
        }
        Set<Pending> answered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < sends.size(); i++) {
            Pending pending = sends.get(i);
            ChatMessage found = earlier.get(i);
            if (found == null) {
                continue;
            }
            answered.add(pending);
            switch (MessageStore.replayOrConflict(found, pending.request())) {
                case Outcome.Replayed r -> {
                    counters.replayed.increment();
                    pending.result().complete(new SendResult(found, true));
                }
                case Outcome.Refused(ChatException error) -> pending.result().completeExceptionally(error);
                case Outcome.Stored st -> throw new IllegalStateException("not an earlier outcome");
            }
        }
        return answered;
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
