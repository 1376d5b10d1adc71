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
    private final List<Long> epochs = new ArrayList<>();
    private final FrameScanner.Sink sink = (seq, epoch, text, start, end) -> {
        seen.add(seq + ":" + text.subSequence(start, end));
        epochs.add(epoch);
    };

    /** A message as a server that predates epochs sends it. */
    private static String message(long seq, String clientId, String content) {
        return "{\"messageId\":" + (seq * 64) + ",\"roomId\":\"r\",\"seq\":" + seq + ",\"clientId\":\"" + clientId
                + "\",\"author\":\"a\",\"authorId\":\"u\",\"content\":" + content + ",\"replyToId\":null,\"createdAt\":\"2026-12-02T10:00:00.000Z\"}";
    }

    /** A message as the server sends it since epochs: {@code epoch} last. */
    private static String message(long seq, String clientId, long epoch) {
        String m = message(seq, clientId, "\"hi\"");
        return m.substring(0, m.length() - 1) + ",\"epoch\":" + epoch + "}";
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
    void a_message_gives_its_epoch() {
        scanner.scan("{\"type\":\"message\",\"message\":" + message(7, "c-7", 3) + "}", sink);

        assertThat(seen).containsExactly("7:c-7");
        assertThat(epochs).containsExactly(3L);
    }

    @Test
    void a_message_without_an_epoch_is_of_epoch_1() {
        scanner.scan("{\"type\":\"message\",\"message\":" + message(7, "c-7", "\"hi\"") + "}", sink);

        assertThat(epochs).containsExactly(1L);
    }

    @Test
    void each_message_of_a_messages_frame_gives_its_own_epoch() {
        scanner.scan("{\"type\":\"messages\",\"messages\":[" + message(3, "a", 2) + "," + message(4, "b", "\"y\"") + ","
                + message(5, "c", 4) + "]}", sink);

        assertThat(seen).containsExactly("3:a", "4:b", "5:c");
        assertThat(epochs).containsExactly(2L, 1L, 4L);
    }

    @Test
    void a_resync_frame_is_recognised_with_its_epoch_and_reason() {
        scanner.scan("{\"type\":\"resync\",\"lastSeq\":40,\"epoch\":2,\"reason\":\"cursor after=45 is past 40\"}", sink);

        assertThat(scanner.resync()).isTrue();
        assertThat(scanner.reset()).isFalse();
        assertThat(scanner.epoch()).isEqualTo(2);
        assertThat(scanner.reason()).isEqualTo("cursor after=45 is past 40");
        assertThat(seen).isEmpty();
    }

    @Test
    void a_resync_frame_without_an_epoch_names_epoch_1() {
        scanner.scan("{\"type\":\"resync\",\"epoch\":5,\"lastSeq\":1,\"reason\":\"x\"}", sink);
        scanner.scan("{\"type\":\"resync\",\"lastSeq\":40,\"reason\":\"cursor ahead\"}", sink);

        assertThat(scanner.resync()).isTrue();
        assertThat(scanner.epoch()).isEqualTo(1);
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
