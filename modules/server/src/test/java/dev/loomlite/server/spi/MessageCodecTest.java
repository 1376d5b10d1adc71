package dev.loomlite.server.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryPage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The cluster reads and writes messages exactly as the API does. */
class MessageCodecTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ChatMessage MESSAGE = new ChatMessage(130, "general", 7, "c-7", "u1", "Ann <b>", "héllo \"you\"",
            OptionalLong.of(66), Instant.parse("2026-12-03T02:00:00.123Z"), 2);

    @Test
    void a_written_message_reads_back_equal() throws Exception {
        assertThat(MessageCodec.read(JSON.readTree(MessageCodec.write(MESSAGE)))).isEqualTo(MESSAGE);
    }

    @Test
    void a_message_is_written_in_the_apis_field_order_with_epoch_last() {
        assertThat(MessageCodec.write(MESSAGE)).isEqualTo("{\"messageId\":130,\"roomId\":\"general\",\"seq\":7,"
                + "\"clientId\":\"c-7\",\"author\":\"Ann <b>\",\"authorId\":\"u1\",\"content\":\"héllo \\\"you\\\"\","
                + "\"replyToId\":66,\"createdAt\":\"2026-12-03T02:00:00.123Z\",\"epoch\":2}");
    }

    @Test
    void a_message_written_before_epochs_reads_as_epoch_1() throws Exception {
        String old = "{\"messageId\":1,\"roomId\":\"a\",\"seq\":1,\"clientId\":\"c\",\"author\":\"A\",\"authorId\":\"u\","
                + "\"content\":\"x\",\"replyToId\":null,\"createdAt\":\"2026-12-03T02:00:00.000Z\"}";

        assertThat(MessageCodec.read(JSON.readTree(old)).epoch()).isEqualTo(1);
    }

    @Test
    void a_history_page_reads_with_its_messages_and_more_flag() {
        byte[] body = ("{\"messages\":[" + MessageCodec.write(MESSAGE) + "],\"hasMore\":true}").getBytes(StandardCharsets.UTF_8);

        HistoryPage page = MessageCodec.readPage(body);

        assertThat(page.messages()).containsExactly(MESSAGE);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void a_malformed_message_or_page_is_refused_naming_what_it_is_not() throws Exception {
        assertThatThrownBy(() -> MessageCodec.read(JSON.readTree("{\"messageId\":1,\"roomId\":\"a\",\"seq\":1,"
                + "\"createdAt\":\"yesterday\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a message", "createdAt");
        assertThatThrownBy(() -> MessageCodec.read(JSON.readTree("{\"messageId\":1,\"roomId\":\"a\",\"seq\":1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a message", "clientId is missing");
        assertThatThrownBy(() -> MessageCodec.readPage("{\"hasMore\":false}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a history page");
        assertThatThrownBy(() -> MessageCodec.readPage("[1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a history page");
    }
}
