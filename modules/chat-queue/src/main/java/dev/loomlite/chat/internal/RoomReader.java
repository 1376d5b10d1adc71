package dev.loomlite.chat.internal;

import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;

/**
 * Where a subscription reads the stored messages of its room (its catch-up and its gap repairs): the room's shard in
 * this process, or, on a node that follows a room owned elsewhere, the owner. Called on the subscription's delivery
 * thread; may block.
 */
interface RoomReader {
    HistoryPage read(HistoryQuery query);

    /** The room's messages in the shard file of this process. */
    static RoomReader local(MessageStore store, String roomId) {
        return query -> store.history(roomId, query);
    }
}
