package dev.loomlite.chat.spi;

import dev.loomlite.chat.ChatException;
import java.io.Serial;

/**
 * The room lives in a shard that another node owns: nothing was read or stored here. A server forwards such a request
 * to {@link #owner()}.
 *
 * <pre>{@code
 * catch (NotOwnerException e) { forwardTo(e.owner()); }
 * }</pre>
 */
public final class NotOwnerException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int shard;
    private final String owner;

    public NotOwnerException(String roomId, int shard, String owner, String nodeId) {
        super("room '" + roomId + "' is in shard " + shard + ", which node '" + owner + "' owns, not this node ('"
                + nodeId + "'): nothing was read or stored here");
        this.shard = shard;
        this.owner = owner;
    }

    public int shard() {
        return shard;
    }

    public String owner() {
        return owner;
    }
}
