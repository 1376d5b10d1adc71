package dev.loomlite.chat.spi;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.internal.ChatServiceImpl;
import dev.loomlite.sqlite.SqlitePool;

/**
 * Opens the chat engine of one node of a cluster ({@link dev.loomlite.chat.ChatService#open} is the standalone case).
 *
 * <pre>{@code
 * NodeChat node = ChatNodes.open(config, pool, new Topology(placement, publisher, ownerClient, feed));
 * }</pre>
 */
public final class ChatNodes {
    private ChatNodes() {
    }

    /**
     * Opens (creating, migrating and stamping) the shard files this node owns, and only those.
     *
     * @throws dev.loomlite.chat.ChatException when a file is of another layout, stamped by another node, or missing
     *                                         although its shard moved here
     */
    public static NodeChat open(ChatConfig config, SqlitePool pool, Topology topology) {
        return ChatServiceImpl.open(config, pool, topology);
    }
}
