package dev.loomlite.chat;

import java.io.Serial;

/**
 * A subscriber's cursor is past the room's last message: it holds {@code seq} numbers the room does not have,
 * so new messages would reuse them. This happens after a restore from a backup, when the last commits were lost
 * (an OS crash or power loss with {@code synchronous=NORMAL}), or when a later epoch replaced part of the history the
 * cursor saw. Nothing was subscribed: the subscriber drops what it holds above {@link #lastSeq()}, reloads the room
 * from its history and subscribes again with {@link #epoch()}.
 *
 * <pre>{@code
 * try { chat.subscribe(room, cursor, listener); }
 * catch (CursorAheadException e) { timeline.dropAbove(e.lastSeq()); resubscribe(e.epoch(), e.lastSeq()); }
 * }</pre>
 */
public final class CursorAheadException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final long lastSeq;
    private final long epoch;

    /** A cursor of epoch 1 past the end of a room of epoch 1. */
    public CursorAheadException(String roomId, long afterSeq, long lastSeq) {
        this(roomId, afterSeq, lastSeq, 1);
    }

    /** A cursor past {@code lastSeq}, what it may keep of a room now at {@code epoch}. */
    public CursorAheadException(String roomId, long afterSeq, long lastSeq, long epoch) {
        super("room '" + roomId + "' (epoch " + epoch + ") keeps the subscriber's messages up to seq " + lastSeq
                + ", but it asked for messages after seq " + afterSeq + ": its cursor is from before a restore, a lost"
                + " commit or a replaced history; reload the room from its history");
        this.lastSeq = lastSeq;
        this.epoch = epoch;
    }

    /**
     * The highest {@code seq} the subscriber may keep (0: none): the room's last one, or the last one before a range
     * that a later epoch than the cursor's replaced.
     */
    public long lastSeq() {
        return lastSeq;
    }

    /** The room's current epoch: the subscriber reconnects with it once it reloaded. */
    public long epoch() {
        return epoch;
    }
}
