package dev.loomlite.cluster.internal;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.server.spi.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a committed batch into {@link RoomPayload}s that fit the broker's max payload (design §8.2): contiguous runs in
 * {@code seq} order, each at most {@code maxPayload - 512} UTF-8 bytes (the margin covers the NATS protocol line and
 * leaves room for headers). Each message is serialized once. A single message larger than that bound still goes alone
 * in its own payload; if even that exceeds {@code maxPayload} the publisher drops and counts it (the broker would refuse
 * it) and followers repair it from the owner. Stateless; called on the publisher thread.
 *
 * <pre>{@code
 * for (PayloadSplitter.Cut cut : PayloadSplitter.split(batch, "n1", 3, link.maxPayload())) {
 *     connection.publish(RoomPayload.subject(batch.shard(), batch.roomId()), cut.body());
 * }
 * }</pre>
 */
final class PayloadSplitter {
    /** Bytes of {@code maxPayload} a payload leaves unused. */
    static final int MARGIN = 512;

    private PayloadSplitter() {
    }

    /**
     * One payload of a cut.
     *
     * @param body the payload, UTF-8 JSON
     * @param from its first seq
     * @param to   its last seq
     */
    record Cut(byte[] body, long from, long to) {
        int messages() {
            return (int) (to - from + 1);
        }
    }

    static List<Cut> split(CommittedBatch batch, String node, long mapVersion, long maxPayload) {
        List<ChatMessage> messages = batch.messages();
        List<byte[]> jsons = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            jsons.add(MessageCodec.write(m).getBytes(StandardCharsets.UTF_8));
        }
        long lastSeq = messages.getLast().seq();
        // The widest header of this batch: from and to have at most as many digits as the batch's last seq.
        long headerBound = RoomPayload.header(node, mapVersion, batch.shard(), batch.roomId(), batch.epoch(), lastSeq,
                lastSeq).length + 2;
        long limit = maxPayload - MARGIN;
        List<Cut> cuts = new ArrayList<>();
        int first = 0;
        while (first < jsons.size()) {
            int end = first + 1;   // a message always goes, alone if it must
            long size = headerBound + jsons.get(first).length + 1;
            while (end < jsons.size() && size + jsons.get(end).length + 1 <= limit) {
                size += jsons.get(end).length + 1;
                end++;
            }
            long from = messages.get(first).seq();
            long to = messages.get(end - 1).seq();
            byte[] header = RoomPayload.header(node, mapVersion, batch.shard(), batch.roomId(), batch.epoch(), from, to);
            cuts.add(new Cut(RoomPayload.write(header, jsons, first, end), from, to));
            first = end;
        }
        return cuts;
    }
}
