package dev.loomlite.chat.spi;

/**
 * A live {@link RemoteFeed#follow} of one room: closing it unsubscribes. Idempotent, from any thread.
 *
 * <pre>{@code
 * Follow follow = feed.follow(shard, room, listener);
 * follow.close();
 * }</pre>
 */
public interface Follow extends AutoCloseable {
    @Override
    void close();
}
