package dev.loomlite.chat.spi;

/**
 * A room's end as its owner sees it, answered for a cursor of a given epoch: what a follower catches up to and what a
 * subscriber's cursor is checked against.
 *
 * <pre>{@code
 * RoomPosition p = reader.position(cursorEpoch);
 * if (cursorSeq > p.validThrough()) { throw new CursorAheadException(room, cursorSeq, p.validThrough(), p.epoch()); }
 * }</pre>
 *
 * @param epoch        the room's current epoch (its shard's), from 1
 * @param lastSeq      the room's last {@code seq} (0: no message)
 * @param validThrough the highest {@code seq} a cursor of the asked epoch may keep: {@code lastSeq} when no later
 *                     epoch replaced part of what that cursor saw, else the seq before the first replaced one; 0 when
 *                     the cursor's epoch is ahead of the room's (a restored file: reload everything)
 */
public record RoomPosition(long epoch, long lastSeq, long validThrough) {
    public RoomPosition {
        if (epoch < 1 || lastSeq < 0 || validThrough < 0 || validThrough > lastSeq) {
            throw new IllegalArgumentException("a room position needs epoch >= 1 and 0 <= validThrough <= lastSeq, was"
                    + " epoch " + epoch + ", lastSeq " + lastSeq + ", validThrough " + validThrough);
        }
    }

    /** A position with the room's id, as a batch of positions answers. */
    public record Named(String roomId, RoomPosition position) {
    }
}
