package dev.loomlite.chat.spi;

import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.internal.ChatServiceImpl;
import java.util.List;

/**
 * The node-side view of the chat engine, for a server's internal routes: the same engine as {@link #service()},
 * plus what other nodes ask an owner.
 *
 * <pre>{@code
 * try (NodeChat node = ChatNodes.open(config, pool, topology)) {
 *     List<RoomPosition.Named> ends = node.positions(List.of(new RoomRef(3, "general", 1)));
 * }
 * }</pre>
 */
public sealed interface NodeChat extends AutoCloseable permits ChatServiceImpl {
    /** The engine as the public API: the same object. */
    ChatService service();

    Placement placement();

    /**
     * The ends of rooms of shards this node owns, in the order asked, one statement per shard.
     *
     * @throws NotOwnerException when a room's shard is owned elsewhere (nothing is answered)
     */
    List<RoomPosition.Named> positions(List<RoomRef> rooms);

    /** Every room with a message in the shards this node owns, by room id. */
    List<RoomInfo> ownedRooms();

    /** This node's followers of rooms owned elsewhere. */
    FollowerMetrics followers();

    /** {@link ChatService#close()}. */
    @Override
    void close();
}
