package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolSaturatedException;
import dev.loomlite.sqlite.PoolTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The body of a room's long-lived virtual thread (a task of the service's supervisor scope). It takes
 * batches in acceptance order; each step opens one short scope ({@link Scopes#runAlongside}) in which this
 * thread writes batch k (one blocking, group-committed write) while a fork answers the senders of batch k-1
 * (committed in the previous step), hands its messages to the {@link CommitSink} and fans them out. The write runs
 * on the loop's own thread so it reaches the shard's writer as soon as the batch is taken, not after the senders
 * just answered have had
 * their turn on the carriers; answering in the fork keeps that work off the writer's critical path. One
 * write per room is in flight, so seqs (computed inside each write's transaction) are gapless and in
 * acceptance order, and each stored message is fanned out once, in seq order. The loop ends after
 * {@link ChatConfig#idleRoomTimeout()} without work, or once the service closes and the queue is drained.
 */
final class RoomLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(RoomLoop.class.getName());

    private final Room room;
    // Every shard of the service, for the client-id screen of each batch (ClientIdScreen).
    private final List<MessageStore> shards;
    private final ChatConfig config;
    private final Counters counters;
    private final CommitSink commits;
    // Confined to the loop's thread: the batch whose write is running (empty between steps).
    private List<Pending> writing = List.of();
    // Confined to the loop's thread: the outcomes of the last write, not yet answered nor fanned out (the
    // step hands them to its fork as an argument).
    private Written unanswered = Written.NONE;

    RoomLoop(Room room, List<MessageStore> shards, ChatConfig config, Counters counters, CommitSink commits) {
        this.room = room;
        this.commits = commits;
        this.shards = shards;
        this.config = config;
        this.counters = counters;
    }

    @Override
    public void run() {
        Thread.currentThread().setName("chat-room-" + room.id);
        counters.roomStarted();
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                List<Pending> batch = unanswered.isEmpty()
                        ? room.take(config.maxBatch(), config.idleRoomTimeout())
                        : room.poll(config.maxBatch());
                if (!batch.isEmpty()) {
                    step(batch);
                } else if (!unanswered.isEmpty()) {
                    Written last = unanswered;
                    unanswered = Written.NONE;
                    finish(last);
                } else {
                    return; // take() found no work and marked the loop ended
                }
            }
        } catch (InterruptedException e) {
            // Committed sends are answered even now; their fan-out is moot (subscribers are being closed).
            answer(unanswered);
            unanswered = Written.NONE;
            abandon(new ChatClosedException("chat service closed during the write to room '" + room.id
                    + "'; it may or may not be stored: retry with the same client id"));
            counters.rejected.add(room.failAll(new ChatClosedException("chat service closed before the send to room '"
                    + room.id + "' was stored; nothing was stored")));
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "room '" + room.id + "' loop failed", e);
            ChatException error = new ChatException("room '" + room.id + "' failed (" + e + "); a send being"
                    + " written may or may not be stored, one still queued was not: retry with the same client id", e);
            answer(unanswered);
            unanswered = Written.NONE;
            abandon(error);
            counters.failed.add(room.failAll(error));
        } finally {
            counters.roomEnded();
            room.retireIfIdle();
        }
    }

    /**
     * One step: writes {@code batch} on this thread while a fork answers and fans out the previous batch;
     * leaves the batch's outcomes in {@link #unanswered} for the next step. An interrupt during the step
     * does not lose the write's outcome (the pool reports the exact one); it stays set for the loop to see.
     */
    private void step(List<Pending> batch) {
        Written previous = unanswered;
        unanswered = Written.NONE;
        BatchEvent event = new BatchEvent();
        event.begin();
        long now = System.currentTimeMillis();
        writing = batch;
        try {
            unanswered = Scopes.runAlongside(() -> write(batch, now), () -> finish(previous));
            writing = List.of();
        } catch (ExecutionException e) {
            writing = List.of();
            fail(batch, e.getCause());
            if (e.getCause() instanceof Error error) {
                // Its batch is answered ("may or may not be stored"); the room goes on with the next batch
                // rather than failing every queued send too.
                LOG.log(System.Logger.Level.ERROR, "room '" + room.id + "': a write failed with an error", error);
            }
        } finally {
            // A no-op unless the fork was cancelled or failed before it answered everyone: no sender of a
            // committed write may be left waiting (completing a future twice changes nothing). Anything
            // else escaping leaves `writing` set, for run() to fail it.
            answer(previous);
        }
        event.end();
        if (event.shouldCommit()) {
            event.room = room.id;
            event.database = room.store.database().name();
            event.sends = batch.size();
            event.stored = unanswered.stored().size();
            event.commit();
        }
    }

    /** The sends a write stored or refused (those another shard did not answer), their outcomes, the new messages. */
    private record Written(List<Pending> sends, List<Outcome> outcomes, List<ChatMessage> stored) {
        static final Written NONE = new Written(List.of(), List.of(), List.of());

        static Written of(List<Pending> sends, List<Outcome> outcomes) {
            List<ChatMessage> stored = new ArrayList<>(outcomes.size());
            for (Outcome o : outcomes) {
                if (o instanceof Outcome.Stored(ChatMessage m)) {
                    stored.add(m);
                }
            }
            return new Written(sends, outcomes, stored);
        }

        boolean isEmpty() {
            return sends.isEmpty();
        }
    }

    /** The step's write: screens the batch against the other shards, then writes the rest in one write. */
    private Written write(List<Pending> batch, long now) {
        List<Pending> sends = ClientIdScreen.screen(shards, room.store.shard(), batch, counters);
        if (sends.isEmpty()) {
            return Written.NONE;
        }
        return Written.of(sends, room.store.database().write(s -> room.store.persist(s, room.id, sends, now)));
    }

    /**
     * Answers a write's senders, hands its new messages to the commit sink (the world beyond this process), then
     * offers them to the local subscribers.
     */
    private Void finish(Written written) throws InterruptedException {
        answer(written);
        if (commits != CommitSink.NONE && !written.stored().isEmpty()) { // one node: no batch to build and check
            sink(new CommittedBatch(room.store.shard(), room.id, written.stored()));
        }
        room.hub.publish(written.stored());
        return null;
    }

    /** A sink that throws costs its batch's hand-over, never the room: logged (the first, then every 1000th), counted. */
    private void sink(CommittedBatch batch) {
        try {
            commits.committed(batch);
        } catch (RuntimeException e) {
            long failures = counters.sinkFailures.incrementAndGet();
            if (failures == 1 || failures % 1000 == 0) {
                LOG.log(System.Logger.Level.WARNING, "room '" + room.id + "': the commit sink failed on seq "
                        + batch.messages().getFirst().seq() + ".." + batch.messages().getLast().seq() + " ("
                        + failures + " failure(s) so far)", e);
            }
        }
    }

    /**
     * Completes each sender of a committed write that is not yet completed; counts what it completed. A send is
     * counted before its future completes (and uncounted if something else completed it first), so a caller that
     * sees its answer also sees it in {@code metrics()}.
     */
    private void answer(Written written) {
        for (int i = 0; i < written.outcomes().size(); i++) {
            var future = written.sends().get(i).result();
            switch (written.outcomes().get(i)) {
                case Outcome.Stored(ChatMessage m) -> {
                    counters.accepted.increment();
                    if (!future.complete(new SendResult(m, false))) {
                        counters.accepted.decrement();
                    }
                }
                case Outcome.Replayed(ChatMessage m) -> {
                    counters.replayed.increment();
                    if (!future.complete(new SendResult(m, true))) {
                        counters.replayed.decrement();
                    }
                }
                case Outcome.Refused(ChatException error) -> future.completeExceptionally(error);
            }
        }
    }

    /** Fails a batch whose write did not commit (or whose outcome is unknown) with an error that says so. */
    private void fail(List<Pending> batch, Throwable cause) {
        ChatException error = Thread.currentThread().isInterrupted() && cause instanceof PoolException pool
                && !pool.outcomeUnknown() && !(cause instanceof PoolTimeoutException t && t.started())
                ? new ChatClosedException("chat service closed during the write to room '" + room.id
                        + "'; nothing was stored: retry with the same client id")
                : translate(cause);
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
            case PoolException p when p.outcomeUnknown() -> new ChatException(where + ": storing failed ("
                    + p.getMessage() + ") and may or may not be stored: retry with the same client id", p);
            case Error e -> new ChatException(where + ": storing failed (" + e
                    + ") and may or may not be stored: retry with the same client id", e);
            default -> new ChatException(where + ": storing failed (" + cause.getMessage()
                    + "); nothing was stored: retry with the same client id", cause);
        };
    }
}
