package dev.loomlite.chat;

import java.io.Serial;

/**
 * A subscriber's cursor is past the room's last message: it holds {@code seq} numbers the room does not have,
 * so new messages would reuse them. This happens after a restore from a backup, or when the last commits were lost
 * (an OS crash or power loss with {@code synchronous=NORMAL}). Nothing was subscribed: the subscriber drops what it
 * holds above {@link #lastSeq()} and reloads the room from its history.
 *
 * <pre>{@code
 * try { chat.subscribe(room, cursor, listener); }
 * catch (CursorAheadException e) { timeline.dropAbove(e.lastSeq()); resubscribe(e.lastSeq()); }
 * }</pre>
 */
public final class CursorAheadException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final long lastSeq;

    public CursorAheadException(String roomId, long afterSeq, long lastSeq) {
        super("room '" + roomId + "' ends at seq " + lastSeq + ", but the subscriber asked for messages after seq "
                + afterSeq + ": its cursor is from before a restore or a lost commit; reload the room from its history");
        this.lastSeq = lastSeq;
    }

    /** The room's last {@code seq} when the subscription was refused (0: no message). */
    public long lastSeq() {
        return lastSeq;
    }
}
