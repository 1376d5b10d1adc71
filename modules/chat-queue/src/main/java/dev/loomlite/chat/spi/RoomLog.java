package dev.loomlite.chat.spi;

import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.RoomInfo;
import java.util.List;

/**
 * The history of rooms owned by other nodes, read from their owners. Blocking, bounded by the implementation's
 * timeouts; called on subscribers' delivery threads, followers' threads and request threads.
 *
 * <pre>{@code
 * HistoryPage page = log.read(shard, "general", HistoryQuery.after(41, 100));
 * RoomPosition end = log.position(shard, "general", 1);
 * }</pre>
 */
public interface RoomLog {
    /** No other node: a single node owns every room, so these are never called there. */
    RoomLog NONE = new RoomLog() {
        @Override
        public HistoryPage read(int shard, String roomId, HistoryQuery query) {
            throw none(roomId, shard);
        }

        @Override
        public RoomPosition position(int shard, String roomId, long clientEpoch) {
            throw none(roomId, shard);
        }

        @Override
        public List<RoomPosition.Named> positions(List<RoomRef> rooms) {
            if (!rooms.isEmpty()) {
                throw none(rooms.getFirst().roomId(), rooms.getFirst().shard());
            }
            return List.of();
        }

        @Override
        public List<RoomInfo> rooms() {
            return List.of();
        }

        private static IllegalStateException none(String roomId, int shard) {
            return new IllegalStateException("no other node on this one: room '" + roomId + "' of shard " + shard
                    + " cannot be read remotely");
        }
    };

    /**
     * A page of the room's history from its owner.
     *
     * @throws OwnerUnavailableException when the owner does not answer in time
     */
    HistoryPage read(int shard, String roomId, HistoryQuery query);

    /**
     * The room's end as its owner sees it, for a cursor of {@code clientEpoch}.
     *
     * @throws OwnerUnavailableException when the owner does not answer in time
     */
    RoomPosition position(int shard, String roomId, long clientEpoch);

    /**
     * The ends of several rooms, asked of their owners together (one request per owner). Rooms whose owner did not
     * answer are missing from the answer.
     */
    List<RoomPosition.Named> positions(List<RoomRef> rooms);

    /** The rooms of every shard owned elsewhere; owners that miss their deadline are left out (logged). */
    List<RoomInfo> rooms();
}
