/**
 * The pipeline's implementation (not exported): {@link dev.loomlite.chat.internal.ChatServiceImpl} wires
 * {@link dev.loomlite.chat.internal.Room}s (queue, running flag, and a {@link dev.loomlite.chat.internal.RoomHub} of
 * subscribers with their fan-out), their
 * {@link dev.loomlite.chat.internal.RoomLoop}s (batch, persist while fanning out the previous batch, answer),
 * the shard {@link dev.loomlite.chat.internal.MessageStore}s, the service-wide client id check
 * {@link dev.loomlite.chat.internal.ClientIdScreen}, {@link dev.loomlite.chat.internal.LiveSubscription}s (reading
 * through a {@link dev.loomlite.chat.internal.RoomReader}), the {@link dev.loomlite.chat.spi.CommitSink} and
 * the ordered {@link dev.loomlite.chat.internal.ShutdownSequence}. Every use of the structured-concurrency
 * preview API is in {@link dev.loomlite.chat.internal.Scopes}.
 *
 * <pre>{@code
 * ChatService chat = ChatServiceImpl.open(ChatConfig.defaults(), pool);  // what ChatService.open does
 * }</pre>
 */
package dev.loomlite.chat.internal;
