package dev.loomlite.chat;

import dev.loomlite.chat.internal.ChatServiceImpl;
import dev.loomlite.sqlite.SqlitePool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The ordered, exactly-once chat pipeline.
 *
 * <p>Each room has a strict, gapless, monotonic {@code seq} assigned in acceptance order and stored atomically
 * with the message. {@code (authorId, clientId)} identifies a send: a repeat, sequential or concurrent, gets
 * the original result flagged as a replay, across restarts. Rooms are independent; one long-lived virtual
 * thread per active room drains its queue; shards (database files) commit in parallel.
 *
 * <p>Thread-safety: every method may be called from any thread. {@link #send} blocks until the message is
 * durable: call it from a virtual thread.
 *
 * <pre>{@code
 * ChatService chat = ChatService.open(ChatConfig.defaults(), pool);
 * SendResult sent = chat.send(SendRequest.of("general", "u1", "Alice", "3f2a", "hi"));
 * long seq = sent.message().seq();
 * }</pre>
 */
public sealed interface ChatService extends AutoCloseable permits ChatServiceImpl {

    /** Opens the pipeline over {@code pool}, migrating the shard databases; the pool stays the caller's to close. */
    static ChatService open(ChatConfig config, SqlitePool pool) {
        return ChatServiceImpl.open(config, pool);
    }

    /**
     * Sends a message and returns once it is durable.
     *
     * @throws ValidationException          when a field is out of bounds (names the field and the limit)
     * @throws ClientIdConflictException    when the author used the client id before with a different content,
     *                                      reply or room (in any room of the service, also before a restart)
     * @throws QueueSaturatedException      when the room's or the global queue is full
     * @throws ChatClosedException          when the service is shutting down
     * @throws ChatException                for storage failures
     */
    SendResult send(SendRequest request);

    /**
     * {@link #send}, waiting at most {@code timeout} for the commit (queueing included): what a server answering
     * clients that give up after a while needs, so that a stalled disk turns into an explicit "unknown, retry"
     * instead of a hung request.
     *
     * @throws SendTimeoutException when the send was accepted but not confirmed in time: it may still be stored, and a
     *                              retry with the same client id gets the one stored message
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    SendResult send(SendRequest request, Duration timeout);

    /**
     * {@link #send} without waiting for the commit; validation failures complete the future exceptionally.
     * The future completes on a thread of its own, never on the room's thread.
     */
    CompletableFuture<SendResult> sendAsync(SendRequest request);

    /**
     * Delivers every message of the room with {@code seq > afterSeq}: stored ones first, then live ones, in
     * {@code seq} order, with no gap and no duplicate at the hand-over. A listener that falls more than
     * {@link ChatConfig#subscriberBuffer()} messages behind is dropped with a reason.
     *
     * @throws CursorAheadException when {@code afterSeq} is past the room's last message (a restore, or commits lost
     *                              to a power loss): the subscriber must drop what it holds above the room's end
     */
    default Subscription subscribe(String roomId, long afterSeq, ChatListener listener) {
        return subscribe(roomId, 1, afterSeq, listener);
    }

    /**
     * {@link #subscribe(String, long, ChatListener)} for a cursor of {@code epoch}: the epoch of the newest message
     * the subscriber holds ({@link ChatMessage#epoch()}, 1 when it holds none). A room whose history a later epoch
     * replaced from some seq on refuses a cursor at or past that seq.
     *
     * @throws CursorAheadException when {@code afterSeq} is past what the cursor may keep of the room, or
     *                              {@code epoch} is ahead of the room's (a restored file); it names the seq to
     *                              keep up to and the room's epoch to subscribe with after reloading
     */
    Subscription subscribe(String roomId, long epoch, long afterSeq, ChatListener listener);

    /** A page of a room's stored messages, ascending by {@code seq}. */
    HistoryPage history(String roomId, HistoryQuery query);

    /** Every room that has a message, with its last {@code seq}. */
    List<RoomInfo> rooms();

    /** Counters for {@code /metrics}. */
    ChatMetrics metrics();

    /**
     * Stops accepting sends, finishes or fails every accepted one with a clear error, closes subscriptions
     * with a reason, within {@link ChatConfig#shutdownGrace()}. Idempotent: a concurrent call waits for the
     * first to end. Does not close the pool.
     *
     * @throws ChatException when a concurrent call is interrupted while it waits (the interrupt flag is kept;
     *                       the first call's close goes on)
     */
    @Override
    void close();
}
