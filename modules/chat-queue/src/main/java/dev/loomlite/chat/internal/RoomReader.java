package dev.loomlite.chat.internal;

import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomPosition;

/**
 * Where a subscription reads the stored messages of its room (its catch-up and its gap repairs): the room's shard in
 * this process, or, on a node that follows a room owned elsewhere, the owner. Called on the subscription's delivery
 * thread; may block.
 */
interface RoomReader {
    HistoryPage read(HistoryQuery query);

    /** Where the room ends for a cursor of {@code clientEpoch} (docs/cluster-design.md §4.3). */
    RoomPosition position(long clientEpoch);

    /** The room's messages as its owner on another node serves them (blocking reads over the network). */
    static RoomReader remote(RoomLog log, int shard, String roomId) {
        return new RoomReader() {
            @Override
            public HistoryPage read(HistoryQuery query) {
                return log.read(shard, roomId, query);
            }

            @Override
            public RoomPosition position(long clientEpoch) {
                return log.position(shard, roomId, clientEpoch);
            }
        };
    }

    /** The room's messages in the shard file of this process. */
    static RoomReader local(MessageStore store, String roomId) {
        return new RoomReader() {
            @Override
            public HistoryPage read(HistoryQuery query) {
                return store.history(roomId, query);
            }

            @Override
            public RoomPosition position(long clientEpoch) {
                return store.position(roomId, clientEpoch);
            }
        };
    }
}
