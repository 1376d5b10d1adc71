package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
    private final FrameScanner scanner = new FrameScanner();
    private final List<String> seen = new ArrayList<>();
    private final FrameScanner.Sink sink = (seq, text, start, end) -> seen.add(seq + ":" + text.subSequence(start, end));

    private static String message(long seq, String clientId, String content) {
        return "{\"messageId\":" + (seq * 64) + ",\"roomId\":\"r\",\"seq\":" + seq + ",\"clientId\":\"" + clientId
                + "\",\"author\":\"a\",\"authorId\":\"u\",\"content\":" + content + ",\"replyToId\":null,\"createdAt\":\"2026-12-02T10:00:00.000Z\"}";
    }

    @Test
    void a_message_frame_gives_its_seq_and_client_id() {
        scanner.scan("{\"type\":\"message\",\"message\":" + message(7, "c-7", "\"hi\"") + "}", sink);

        assertThat(seen).containsExactly("7:c-7");
        assertThat(scanner.reset()).isFalse();
    }

    @Test
    void a_messages_frame_gives_each_message_in_order() {
        scanner.scan("{\"type\":\"messages\",\"messages\":[" + message(3, "a", "\"x\"") + "," + message(4, "b", "\"y\"") + "]}", sink);

        assertThat(seen).containsExactly("3:a", "4:b");
    }

    @Test
    void content_that_looks_like_json_and_other_field_orders_do_not_confuse_it() {
        String tricky = "\"}],{\\\"seq\\\":99,\\\"clientId\\\":\\\"evil\\\"} \\\\\"";
        scanner.scan("{\"messages\":[{\"content\":" + tricky + ",\"clientId\":\"z\",\"extra\":{\"seq\":[1,2]},\"seq\":12}],"
                + "\"type\":\"messages\"}", sink);

        assertThat(seen).containsExactly("12:z");
    }

    @Test
    void a_reset_frame_is_recognised_with_its_reason() {
        scanner.scan("{\"type\":\"reset\",\"reason\":\"too slow: 1024 behind\"}", sink);

        assertThat(scanner.reset()).isTrue();
        assertThat(scanner.reason()).isEqualTo("too slow: 1024 behind");
        assertThat(seen).isEmpty();
    }

    @Test
    void a_history_page_gives_its_messages_and_has_more() {
        scanner.scan("{\"messages\":[" + message(1, "a", "\"x\"") + "],\"hasMore\":true}", sink);
        assertThat(scanner.hasMore()).isTrue();

        scanner.scan("{\"messages\":[],\"hasMore\":false}", sink);
        assertThat(scanner.hasMore()).isFalse();
        assertThat(seen).containsExactly("1:a");
    }

    @Test
    void truncated_or_malformed_json_is_refused() {
        assertThatThrownBy(() -> scanner.scan("{\"type\":\"message\",\"message\":{\"seq\":1", sink))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scanner.scan("{\"type\" \"message\"}", sink)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scanner.scan("{\"message\":{\"clientId\":\"a\"}}", sink)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_frames_utf8_bytes_scan_like_its_text_whatever_the_content() {
        String frame = "{\"type\":\"messages\",\"messages\":[" + message(5, "a", "\"grüße, 日本, 🙂\"") + ","
                + message(6, "b", "\"x\"") + "]}";
        ByteBuffer direct = ByteBuffer.allocateDirect(64 + frame.length() * 4);
        direct.put(new byte[7]).put(frame.getBytes(StandardCharsets.UTF_8)).flip().position(7);

        scanner.scan(new ByteChars().wrap(direct), sink);

        assertThat(seen).containsExactly("5:a", "6:b");
    }
}
