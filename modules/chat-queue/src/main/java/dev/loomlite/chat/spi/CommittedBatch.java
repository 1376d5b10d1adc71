package dev.loomlite.chat.spi;

import dev.loomlite.chat.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * The new messages of one room from one commit: non-empty, of that room, of one epoch, ascending and gapless in
 * {@code seq}.
 *
 * <pre>{@code
 * CommittedBatch b = ...;   // what a CommitSink receives
 * long first = b.messages().getFirst().seq(), last = b.messages().getLast().seq();
 * }</pre>
 *
 * @param shard    the shard (database file) that stored them
 * @param roomId   their room
 * @param messages the messages, immutable
 */
public record CommittedBatch(int shard, String roomId, List<ChatMessage> messages) {
    public CommittedBatch {
        Objects.requireNonNull(roomId, "roomId");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a committed batch of room '" + roomId + "' holds at least one message");
        }
        long expected = messages.getFirst().seq();
        long epoch = messages.getFirst().epoch();
        for (ChatMessage m : messages) {
            if (!m.roomId().equals(roomId) || m.seq() != expected++ || m.epoch() != epoch) {
                throw new IllegalArgumentException("a committed batch of room '" + roomId + "' holds its messages in"
                        + " gapless seq order; message " + m.messageId() + " (room '" + m.roomId() + "', seq " + m.seq()
                        + ", epoch " + m.epoch() + ") is not seq " + (expected - 1) + " of that room in epoch " + epoch);
            }
        }
    }

    /** The epoch of every message of the batch. */
    public long epoch() {
        return messages.getFirst().epoch();
    }
}
