package dev.loomlite.cluster.internal;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.spi.CommittedBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Committed batches for tests: gapless seq from {@code from}, contents made by the caller. */
final class Messages {
    private Messages() {
    }

    /** Contents "message <seq>". */
    static CommittedBatch batch(int shard, String room, long from, int count) {
        return batch(shard, room, from, count, null);
    }

    /** Every message with {@code content} ({@code null}: "message <seq>"). */
    static CommittedBatch batch(int shard, String room, long from, int count, String content) {
        List<ChatMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = from + i;
            messages.add(new ChatMessage(1000 + seq, room, seq, "c-" + seq, "u1", "Alice",
                    content == null ? "message " + seq : content,
                    OptionalLong.empty(), Instant.ofEpochMilli(1_700_000_000_000L + seq)));
        }
        return new CommittedBatch(shard, room, messages);
    }
}
