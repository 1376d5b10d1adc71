package dev.loomlite.server.spi;

/**
 * Relays a send to the owner of its room's shard, over the owner's internal route. Blocking (bounded by its
 * timeouts); called on request threads. Never retries: the client retries with the same client id.
 *
 * <pre>{@code
 * Relayed answer = forwarder.send(shard, "general", new ForwardedSend("u1", "Ann", "c-1", "hi", OptionalLong.empty()));
 * }</pre>
 */
@FunctionalInterface
public interface Forwarder {
    Relayed send(int shard, String roomId, ForwardedSend send);
}
