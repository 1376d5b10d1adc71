package dev.loomlite.server.spi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.server.internal.MessageJson;

/**
 * The API's message JSON, for the cluster module: what the internal routes answer and what NATS payloads carry is
 * exactly what clients get, byte for byte, from one definition. Thread-safe.
 *
 * <pre>{@code
 * String json = MessageCodec.write(message);       // {"messageId":..,"roomId":..,..,"epoch":1}
 * ChatMessage back = MessageCodec.read(mapper.readTree(json));
 * }</pre>
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /** The message as the API writes it, fields in their fixed order. */
    public static String write(ChatMessage message) {
        return MessageJson.write(message);
    }

    /**
     * A message written by {@link #write} (or by a server before {@code epoch} existed: epoch 1).
     *
     * @throws IllegalArgumentException when the node is not a message of that shape
     */
    public static ChatMessage read(JsonNode message) {
        return MessageJson.read(message);
    }

    /**
     * A history answer, {@code {"messages":[...],"hasMore":b}}.
     *
     * @throws IllegalArgumentException when the body is not of that shape
     */
    public static HistoryPage readPage(byte[] body) {
        return MessageJson.readPage(body);
    }
}
