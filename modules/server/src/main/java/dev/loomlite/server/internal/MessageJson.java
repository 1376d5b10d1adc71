package dev.loomlite.server.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryPage;
import java.io.IOException;
import java.time.format.DateTimeParseException;

/**
 * {@link Wire.MessageView} and {@link Wire.HistoryView} for {@link dev.loomlite.server.spi.MessageCodec}: public only
 * so that the spi package reaches them (this package is not exported). Thread-safe.
 */
public final class MessageJson {
    private MessageJson() {
    }

    public static String write(ChatMessage message) {
        return Json.write(Wire.MessageView.of(message));
    }

    public static ChatMessage read(JsonNode node) {
        try {
            return Json.MAPPER.treeToValue(node, Wire.MessageView.class).toMessage();
        } catch (JacksonException | RuntimeException e) {
            throw malformed("a message", e);
        }
    }

    public static HistoryPage readPage(byte[] body) {
        try {
            Wire.HistoryView view = Json.MAPPER.readValue(body, Wire.HistoryView.class);
            if (view == null || view.messages() == null) {
                throw new IllegalArgumentException("no messages array");
            }
            return view.toPage();
        } catch (IOException | RuntimeException e) {
            throw malformed("a history page", e);
        }
    }

    private static IllegalArgumentException malformed(String what, Exception e) {
        String detail = e instanceof DateTimeParseException ? "createdAt is not an ISO-8601 instant" : e.getMessage();
        return new IllegalArgumentException("not " + what + " in the API's JSON shape: " + detail, e);
    }
}
