package dev.loomlite.chat.spi;

import java.util.Objects;

/**
 * A room, its shard and the epoch of the cursor asking about it (a follower's, a subscriber's): one entry of a
 * batched position request.
 *
 * <pre>{@code
 * List<RoomPosition.Named> ends = node.positions(List.of(new RoomRef(3, "general", 1)));
 * }</pre>
 *
 * @param shard       the room's shard
 * @param roomId      the room
 * @param clientEpoch the epoch of the asker's cursor, from 1
 */
public record RoomRef(int shard, String roomId, long clientEpoch) {
    public RoomRef {
        Objects.requireNonNull(roomId, "roomId");
        if (shard < 0 || clientEpoch < 1) {
            throw new IllegalArgumentException("a room reference needs shard >= 0 and clientEpoch >= 1, was shard "
                    + shard + ", clientEpoch " + clientEpoch + " for room '" + roomId + "'");
        }
    }
}
