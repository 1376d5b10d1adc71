package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber makes of the frames it is given (no connection: frames are handed to it directly), and of the
 * room's history when it reloads (pages served from {@link #pages}).
 */
class SubscriberTest {
    private final LoadIds ids = new LoadIds(7, System.nanoTime());
    /** The history pages the subscriber reads on a reload, by their {@code after}. */
    private final Map<Long, String> pages = new HashMap<>();
    private final Subscriber subscriber = new Subscriber(null, URI.create("http://127.0.0.1:1"), "r", 10, "c=v", true,
            new Timeline(4), ids, (after, scanner, sink) -> {
                scanner.scan(pages.getOrDefault(after, "{\"messages\":[],\"hasMore\":false}"), sink);
                return scanner.hasMore();
            });

    private static String frame(long seq, String id) {
        return "{\"type\":\"message\",\"message\":{\"seq\":" + seq + ",\"clientId\":\"" + id + "\",\"content\":\"hi\"}}";
    }

    private static String frame(long seq, String id, long epoch) {
        return "{\"type\":\"message\",\"message\":{\"seq\":" + seq + ",\"clientId\":\"" + id + "\",\"epoch\":" + epoch + "}}";
    }

    private static long fingerprint(long seq, String id) {
        return LoadIds.fingerprint(seq, LoadIds.hash(id, 0, id.length()));
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

    @Test
    void messages_of_its_epoch_or_without_one_change_nothing() {
        give(frame(11, "a", 1), true);
        give(frame(12, "b"), true);

        assertThat(subscriber.epochChanges()).isZero();
        assertThat(subscriber.epoch()).isEqualTo(1);
        assertThat(subscriber.received()).isEqualTo(2);
    }

    @Test
    void a_message_of_a_higher_epoch_is_an_epoch_change_and_what_follows_it_is_left_to_the_reload() {
        give("{\"type\":\"messages\",\"messages\":[{\"seq\":11,\"clientId\":\"a\"},{\"seq\":12,\"clientId\":\"b\",\"epoch\":2},"
                + "{\"seq\":13,\"clientId\":\"c\",\"epoch\":2}]}", true);
        give(frame(14, "d", 2), true);

        assertThat(subscriber.epochChanges()).isEqualTo(1);
        assertThat(subscriber.epochChange()).isEqualTo("message seq 12 after seq 11, epoch 1 -> 2");
        assertThat(subscriber.epoch()).isEqualTo(2);
        assertThat(subscriber.received()).isEqualTo(1);
        assertThat(subscriber.lastSeq()).isEqualTo(11);
    }

    @Test
    void a_resync_frame_is_an_epoch_change_to_the_frames_epoch() {
        give(frame(11, "a"), true);
        give("{\"type\":\"resync\",\"lastSeq\":10,\"epoch\":3,\"reason\":\"history replaced\"}", true);

        assertThat(subscriber.epochChanges()).isEqualTo(1);
        assertThat(subscriber.epochChange()).isEqualTo("resync frame after seq 11 (history replaced), epoch 1 -> 3");
        assertThat(subscriber.epoch()).isEqualTo(3);
        assertThat(subscriber.resets()).isZero();
    }

    @Test
    void a_reload_takes_the_historys_last_seq_fingerprint_and_highest_epoch_from_the_runs_start() {
        give(frame(11, "a"), true);
        give(frame(12, "lost"), true);
        pages.put(10L, "{\"messages\":[{\"seq\":11,\"clientId\":\"a\"},{\"seq\":12,\"clientId\":\"b\",\"epoch\":2}],\"hasMore\":true}");
        pages.put(12L, "{\"messages\":[{\"seq\":13,\"clientId\":\"c\",\"epoch\":2}],\"hasMore\":false}");

        subscriber.reload();

        assertThat(subscriber.lastSeq()).isEqualTo(13);
        assertThat(subscriber.fingerprint()).isEqualTo(fingerprint(11, "a") + fingerprint(12, "b") + fingerprint(13, "c"));
        assertThat(subscriber.epoch()).isEqualTo(2);
    }

    @Test
    void after_a_reload_the_stream_is_read_again() {
        give(frame(11, "a", 2), true);
        pages.put(10L, "{\"messages\":[{\"seq\":11,\"clientId\":\"a\",\"epoch\":2}],\"hasMore\":false}");
        subscriber.reload();

        give(frame(12, "b", 2), true);

        assertThat(subscriber.lastSeq()).isEqualTo(12);
        assertThat(subscriber.received()).isEqualTo(1);
        assertThat(subscriber.epochChanges()).isEqualTo(1);
        assertThat(subscriber.gaps() + subscriber.duplicates()).isZero();
    }
}
