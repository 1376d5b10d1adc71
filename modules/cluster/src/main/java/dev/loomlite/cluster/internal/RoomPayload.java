package dev.loomlite.cluster.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.server.spi.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One NATS payload of a room (design §8.2): a contiguous run of committed messages, with who published it under which
 * map. UTF-8 JSON; the messages are the API's message JSON ({@link MessageCodec}), written once by the publisher and
 * appended as bytes:
 * <pre>{@code
 * {"v":1,"node":"n2","map":3,"shard":5,"room":"general","epoch":1,"from":101,"to":103,"messages":[{..},{..},{..}]}
 * }</pre>
 * Reading it back gives the run as a {@link CommittedBatch}:
 * <pre>{@code
 * RoomPayload p = RoomPayload.read(msg.getData());   // RejectedPayloadException: unknown v, or malformed
 * listener.published(p.run());
 * }</pre>
 *
 * @param node       the publishing node's id
 * @param mapVersion the publisher's map version ({@code "map"})
 * @param run        the messages: one room, one epoch, gapless {@code seq}
 */
record RoomPayload(String node, long mapVersion, CommittedBatch run) {
    /** The payload format this code writes and reads ({@code "v"}). */
    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    RoomPayload {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(run, "run");
    }

    /** The subject of a room's payloads. Room ids (a-z, 0-9, '-') are valid NATS tokens. */
    static String subject(int shard, String roomId) {
        return "loomlite.room." + shard + "." + roomId;
    }

    /** Everything before the first message, up to and including {@code "messages":[}. */
    static byte[] header(String node, long mapVersion, int shard, String roomId, long epoch, long from, long to) {
        JsonStringEncoder quote = JsonStringEncoder.getInstance();
        return ("{\"v\":" + VERSION + ",\"node\":\"" + new String(quote.quoteAsString(node)) + "\",\"map\":" + mapVersion
                + ",\"shard\":" + shard + ",\"room\":\"" + new String(quote.quoteAsString(roomId)) + "\",\"epoch\":"
                + epoch + ",\"from\":" + from + ",\"to\":" + to + ",\"messages\":[").getBytes(StandardCharsets.UTF_8);
    }

    /** A payload of {@code header} and the messages {@code jsons[first, end)}, already UTF-8 message JSON. */
    static byte[] write(byte[] header, List<byte[]> jsons, int first, int end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + TAIL.length + 256 * (end - first));
        out.writeBytes(header);
        for (int i = first; i < end; i++) {
            if (i > first) {
                out.write(',');
            }
            out.writeBytes(jsons.get(i));
        }
        out.writeBytes(TAIL);
        return out.toByteArray();
    }

    /**
     * Reads a payload.
     *
     * @throws RejectedPayloadException when {@code v} is not {@link #VERSION} or the payload is not a well-formed run
     */
    static RoomPayload read(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw RejectedPayloadException.malformed("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RejectedPayloadException.malformed("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw RejectedPayloadException.malformed("not a JSON object");
        }
        long v = number(root, "v");
        if (v != VERSION) {
            throw RejectedPayloadException.unknownVersion(v);
        }
        String node = text(root, "node");
        String room = text(root, "room");
        long shard = number(root, "shard");
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty() || shard < 0 || shard > Integer.MAX_VALUE) {
            throw RejectedPayloadException.malformed("room '" + room + "' needs shard >= 0 and a non-empty messages"
                    + " list");
        }
        CommittedBatch run = run((int) shard, room, messages);
        long epoch = number(root, "epoch");
        long from = number(root, "from");
        long to = number(root, "to");
        if (epoch != run.epoch() || from != run.messages().getFirst().seq() || to != run.messages().getLast().seq()) {
            throw RejectedPayloadException.malformed("room '" + room + "': header says epoch " + epoch + ", seq " + from
                    + ".." + to + " but its messages are epoch " + run.epoch() + ", seq "
                    + run.messages().getFirst().seq() + ".." + run.messages().getLast().seq());
        }
        return new RoomPayload(node, number(root, "map"), run);
    }

    private static CommittedBatch run(int shard, String room, JsonNode messages) {
        try {
            List<ChatMessage> run = new ArrayList<>(messages.size());
            for (JsonNode m : messages) {
                run.add(MessageCodec.read(m));
            }
            return new CommittedBatch(shard, room, run);
        } catch (IllegalArgumentException e) {
            throw RejectedPayloadException.malformed("room '" + room + "': " + e.getMessage());
        }
    }

    private static long number(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw RejectedPayloadException.malformed("field \"" + field + "\" must be an integer, was " + value);
        }
        return value.longValue();
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual()) {
            throw RejectedPayloadException.malformed("field \"" + field + "\" must be a string, was " + value);
        }
        return value.textValue();
    }
}
