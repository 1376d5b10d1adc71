package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolSaturatedException;
import dev.loomlite.sqlite.PoolTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The body of a room's long-lived virtual thread (a task of the service's supervisor scope). It takes
 * batches in acceptance order; each step opens one short scope ({@link Scopes#runWith}) that forks the
 * blocking, group-committed write of batch k and, in parallel, the fan-out of batch k-1 (committed in the
 * previous step), so the shard's writer works while subscribers are served. After the join it answers batch
 * k's senders; batch k's messages are fanned out in the next step, or alone when the queue is empty. One
 * write per room is in flight, so seqs (computed inside each write's transaction) are gapless and in
 * acceptance order, and each stored message is fanned out once, in seq order. The loop ends after
 * {@link ChatConfig#idleRoomTimeout()} without work, or once the service closes and the queue is drained.
 */
final class RoomLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(RoomLoop.class.getName());
    /** Subscribers served by one fan-out fork. */
    private static final int SUBSCRIBERS_PER_FORK = 32;

    private final Room room;
    // Every shard of the service, for the client-id screen of each batch (ClientIds).
    private final List<MessageStore> shards;
    private final ChatConfig config;
    private final Counters counters;
    // Confined to the loop's thread: the batch whose write is running (empty between steps).
    private List<Pending> writing = List.of();

    RoomLoop(Room room, List<MessageStore> shards, ChatConfig config, Counters counters) {
        this.room = room;
        this.shards = shards;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public void run() {
        Thread.currentThread().setName("chat-room-" + room.id);
        counters.roomStarted();
        try {
            // Committed messages of the previous step, not yet fanned out.
            List<ChatMessage> unsent = List.of();
            while (true) {
                List<Pending> batch = unsent.isEmpty()
                        ? room.take(config.maxBatch(), config.idleRoomTimeout())
                        : room.poll(config.maxBatch());
                if (!batch.isEmpty()) {
                    unsent = step(batch, unsent);
                } else if (!unsent.isEmpty()) {
                    fanOut(unsent);
                    unsent = List.of();
                } else {
                    return; // take() found no work and marked the loop ended
                }
            }
        } catch (InterruptedException e) {
            abandon(new ChatClosedException("chat service closed during the write to room '" + room.id
                    + "'; it may or may not be stored: retry with the same client id"));
            counters.rejected.add(room.failAll(new ChatClosedException("chat service closed before the send to room '"
                    + room.id + "' was stored; nothing was stored")));
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "room '" + room.id + "' loop failed", e);
            ChatException error = new ChatException("room '" + room.id + "' failed: " + e, e);
            abandon(error);
            counters.failed.add(room.failAll(error));
        } finally {
            counters.roomEnded();
            room.retireIfIdle();
        }
    }

    /**
     * One step: writes {@code batch} while {@code previous} is fanned out, then answers the batch's senders.
     *
     * @return the messages the batch stored (to fan out next)
     */
    private List<ChatMessage> step(List<Pending> batch, List<ChatMessage> previous) throws InterruptedException {
        BatchEvent event = new BatchEvent();
        event.begin();
        long now = System.currentTimeMillis();
        Written written;
        writing = batch;
        try {
            written = Scopes.runWith(() -> write(batch, now), () -> fanOut(previous));
        } catch (ExecutionException e) {
            writing = List.of();
            fail(batch, e.getCause());
            return List.of();
        }
        writing = List.of();
        List<ChatMessage> stored = answer(written.sends(), written.outcomes());
        event.end();
        if (event.shouldCommit()) {
            event.room = room.id;
            event.database = room.store.database().name();
            event.sends = batch.size();
            event.stored = stored.size();
            event.commit();
        }
        return stored.isEmpty() ? List.of() : List.copyOf(stored);
    }

    /** The sends a step wrote (those another shard did not answer) and their outcomes, in order. */
    private record Written(List<Pending> sends, List<Outcome> outcomes) {
    }

    /** The step's persist fork: screens the batch against the other shards, then writes the rest in one write. */
    private Written write(List<Pending> batch, long now) {
        List<Pending> sends = ClientIds.screen(shards, room.store.shard(), batch, counters);
        if (sends.isEmpty()) {
            return new Written(sends, List.of());
        }
        return new Written(sends, room.store.database().write(s -> room.store.persist(s, room.id, sends, now)));
    }

    /** Completes each sender of a committed batch; returns the new messages. */
    private List<ChatMessage> answer(List<Pending> batch, List<Outcome> outcomes) {
        List<ChatMessage> stored = new ArrayList<>(batch.size());
        for (int i = 0; i < outcomes.size(); i++) {
            var future = batch.get(i).result();
            switch (outcomes.get(i)) {
                case Outcome.Stored(ChatMessage m) -> {
                    counters.accepted.increment();
                    stored.add(m);
                    future.complete(new SendResult(m, false));
                }
                case Outcome.Replayed(ChatMessage m) -> {
                    counters.replayed.increment();
                    future.complete(new SendResult(m, true));
                }
                case Outcome.Refused(ChatException error) -> future.completeExceptionally(error);
            }
        }
        return stored;
    }

    /** Fails a batch whose write did not commit (or whose outcome is unknown) with an error that says so. */
    private void fail(List<Pending> batch, Throwable cause) {
        ChatException error = translate(cause);
        // Sends the client-id screen already answered are done: completing them again is a no-op, not counted.
        long failed = batch.stream().filter(p -> p.result().completeExceptionally(error)).count();
        if (error instanceof ChatClosedException || error instanceof QueueSaturatedException) {
            counters.rejected.add(failed);
        } else {
            counters.failed.add(failed);
        }
    }

    /** Fails the batch whose write was running (it may yet commit: the error says so). */
    private void abandon(ChatException error) {
        List<Pending> batch = writing;
        writing = List.of();
        counters.failed.add(batch.stream().filter(p -> p.result().completeExceptionally(error)).count());
    }

    private ChatException translate(Throwable cause) {
        String where = "room '" + room.id + "' (database '" + room.store.database().name() + "')";
        return switch (cause) {
            case ChatException already -> already; // the client-id screen says what happened itself
            case PoolSaturatedException s -> new QueueSaturatedException(
                    where + ": storage write queue is full (" + s.depth() + " queued, limit " + s.limit()
                            + "); nothing was stored", Room.RETRY_AFTER);
            case PoolClosedException c -> new ChatClosedException(where + ": storage is closed; nothing was stored");
            case PoolTimeoutException t when !t.started() -> new ChatException(
                    where + ": storage did not start the write in time; nothing was stored", t);
            case PoolTimeoutException t -> new ChatException(
                    where + ": the write timed out and may or may not be stored; retry with the same client id", t);
            default -> new ChatException(where + ": storing failed (" + cause.getMessage()
                    + "); nothing was stored: retry with the same client id", cause);
        };
    }

    /** Offers the messages to every subscriber in parallel forks; drops those the deadline cut off. */
    private Void fanOut(List<ChatMessage> messages) throws InterruptedException {
        if (messages.isEmpty() || room.subscribers.isEmpty()) {
            return null;
        }
        List<LiveSubscription> subs = List.copyOf(room.subscribers);
        List<Runnable> forks = new ArrayList<>();
        for (int from = 0; from < subs.size(); from += SUBSCRIBERS_PER_FORK) {
            List<LiveSubscription> chunk = subs.subList(from, Math.min(subs.size(), from + SUBSCRIBERS_PER_FORK));
            forks.add(() -> chunk.forEach(s -> s.offer(messages)));
        }
        if (!Scopes.runAll(forks, config.fanoutTimeout())) {
            long last = messages.getLast().seq();
            for (LiveSubscription s : subs) {
                if (!s.offeredThrough(last)) {
                    s.closeWith("fan-out deadline of " + config.fanoutTimeout().toMillis() + " ms passed", true);
                }
            }
        }
        return null;
    }
}
