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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The body of a room's long-lived virtual thread (a task of the service's supervisor scope). It takes
 * batches in acceptance order and persists each through one group-committed write; while a batch commits,
 * the next one is already queued on the shard's writer ({@value #PIPELINE} writes in flight at most), so the
 * writer never waits for the loop. Seqs stay gapless and in acceptance order because each write computes
 * them from the table inside its transaction and the pool runs one database's writes in submission order.
 * Batches are finished in order: complete the senders, then fan the new messages out to the subscribers in a
 * short scope with a deadline. The loop ends after {@link ChatConfig#idleRoomTimeout()} without work, or
 * once the service closes and the queue is drained.
 */
final class RoomLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(RoomLoop.class.getName());
    /** Subscribers served by one fan-out fork. */
    private static final int SUBSCRIBERS_PER_FORK = 32;
    /** Batch writes of one room in flight at most. */
    static final int PIPELINE = 2;

    /** A batch whose write was submitted. */
    private record InFlight(List<Pending> batch, CompletableFuture<List<Outcome>> outcomes, BatchEvent event) {
    }

    private final Room room;
    private final ChatConfig config;
    private final Counters counters;
    // Confined to the loop's thread: the submitted batches, oldest first.
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();

    RoomLoop(Room room, ChatConfig config, Counters counters) {
        this.room = room;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public void run() {
        Thread.currentThread().setName("chat-room-" + room.id);
        counters.roomStarted();
        try {
            while (true) {
                while (inFlight.size() < PIPELINE) {
                    List<Pending> batch = inFlight.isEmpty()
                            ? room.take(config.maxBatch(), config.idleRoomTimeout())
                            : room.poll(config.maxBatch());
                    if (batch.isEmpty()) {
                        break;
                    }
                    inFlight.add(submit(batch));
                }
                if (inFlight.isEmpty()) {
                    return; // take() found no work and marked the loop ended
                }
                finish(inFlight.poll());
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
        }
    }

    private InFlight submit(List<Pending> batch) {
        BatchEvent event = new BatchEvent();
        event.begin();
        long now = System.currentTimeMillis();
        CompletableFuture<List<Outcome>> outcomes;
        try {
            outcomes = room.store.database().writeAsync(s -> room.store.persist(s, room.id, batch, now));
        } catch (PoolException e) {
            outcomes = CompletableFuture.failedFuture(e);
        }
        return new InFlight(batch, outcomes, event);
    }

    /** Waits for the oldest batch's commit, completes its senders, fans its new messages out. */
    private void finish(InFlight f) throws InterruptedException {
        List<Outcome> outcomes;
        try {
            outcomes = f.outcomes().get();
        } catch (ExecutionException e) {
            fail(f.batch(), e.getCause());
            return;
        } catch (InterruptedException e) {
            inFlight.addFirst(f);
            throw e;
        }
        List<ChatMessage> stored = new ArrayList<>(f.batch().size());
        for (int i = 0; i < outcomes.size(); i++) {
            var future = f.batch().get(i).result();
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
        f.event().end();
        if (f.event().shouldCommit()) {
            f.event().room = room.id;
            f.event().database = room.store.database().name();
            f.event().sends = f.batch().size();
            f.event().stored = stored.size();
            f.event().commit();
        }
        if (!stored.isEmpty() && !room.subscribers.isEmpty()) {
            fanOut(List.copyOf(stored));
        }
    }

    /** Fails a batch whose write did not commit (or whose outcome is unknown) with an error that says so. */
    private void fail(List<Pending> batch, Throwable cause) {
        ChatException error = translate(cause);
        if (error instanceof ChatClosedException || error instanceof QueueSaturatedException) {
            counters.rejected.add(batch.size());
        } else {
            counters.failed.add(batch.size());
        }
        batch.forEach(p -> p.result().completeExceptionally(error));
    }

    /** Fails the batches still in flight (their writes may yet commit: the error says so). */
    private void abandon(ChatException error) {
        for (InFlight f = inFlight.poll(); f != null; f = inFlight.poll()) {
            counters.failed.add(f.batch().size());
            f.batch().forEach(p -> p.result().completeExceptionally(error));
        }
    }

    private ChatException translate(Throwable cause) {
        String where = "room '" + room.id + "' (database '" + room.store.database().name() + "')";
        return switch (cause) {
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
    private void fanOut(List<ChatMessage> messages) throws InterruptedException {
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
    }
}
