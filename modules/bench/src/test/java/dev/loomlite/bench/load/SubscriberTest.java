package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a subscriber makes of the frames it is given (no connection: frames are handed to it directly). */
class SubscriberTest {
    private final LoadIds ids = new LoadIds(7, System.nanoTime());
    private final Subscriber subscriber = new Subscriber(null, URI.create("http://127.0.0.1:1"), "r", 10, "c=v", true,
            new Timeline(4), ids);

    private static String frame(long seq, String id) {
        return "{\"type\":\"message\",\"message\":{\"seq\":" + seq + ",\"clientId\":\"" + id + "\",\"content\":\"hi\"}}";
    }

    private void give(String frame, boolean fin) {
        subscriber.frame(ByteBuffer.wrap(frame.getBytes(StandardCharsets.UTF_8)), fin);
    }

    @Test
    void messages_in_seq_order_are_counted_and_fingerprinted_like_the_history() {
        give(frame(11, "a"), true);
        give("{\"type\":\"messages\",\"messages\":[{\"seq\":12,\"clientId\":\"b\"},{\"seq\":13,\"clientId\":\"c\"}]}", true);

        assertThat(subscriber.lastSeq()).isEqualTo(13);
        assertThat(subscriber.received()).isEqualTo(3);
        assertThat(subscriber.gaps() + subscriber.duplicates() + subscriber.malformed()).isZero();
        assertThat(subscriber.fingerprint()).isEqualTo(LoadIds.fingerprint(11, LoadIds.hash("a", 0, 1))
                + LoadIds.fingerprint(12, LoadIds.hash("b", 0, 1)) + LoadIds.fingerprint(13, LoadIds.hash("c", 0, 1)));
    }

    @Test
    void a_repeated_seq_is_a_duplicate_and_a_skipped_one_a_gap() {
        give(frame(11, "a"), true);
        give(frame(11, "a"), true);
        give(frame(13, "c"), true);

        assertThat(subscriber.duplicates()).isEqualTo(1);
        assertThat(subscriber.gaps()).isEqualTo(1);
        assertThat(subscriber.lastSeq()).isEqualTo(13);
    }

    @Test
    void a_message_split_over_frames_is_read_once_whole() {
        String whole = frame(11, ids.make(1, System.nanoTime()));
        give(whole.substring(0, 20), false);
        give(whole.substring(20, 50), false);
        give(whole.substring(50), true);
        give(frame(12, "b"), true);

        assertThat(subscriber.received()).isEqualTo(2);
        assertThat(subscriber.malformed()).isZero();
        assertThat(subscriber.lastSeq()).isEqualTo(12);
    }

    @Test
    void a_reset_frame_is_counted_and_an_unreadable_one_is_an_error() {
        give("{\"type\":\"reset\",\"reason\":\"too slow\"}", true);
        give("{\"type\":", true);

        assertThat(subscriber.resets()).isEqualTo(1);
        assertThat(subscriber.malformed()).isEqualTo(1);
    }
}
