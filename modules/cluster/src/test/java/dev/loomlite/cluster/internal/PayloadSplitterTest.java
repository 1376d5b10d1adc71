package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.spi.CommittedBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadSplitterTest {
    /** 140 characters (UTF-16 units), many of them 2 to 4 bytes in UTF-8, and quotes that JSON escapes. */
    private static final String CONTENT = "héllo wörld ✓ 日本語 😀 \"q\" ok.".repeat(5);

    private static CommittedBatch batch() {
        return Messages.batch(5, "general", 1001, 256, CONTENT);
    }

    private static List<ChatMessage> readBack(List<PayloadSplitter.Cut> cuts) {
        List<ChatMessage> all = new ArrayList<>();
        for (PayloadSplitter.Cut cut : cuts) {
            RoomPayload payload = RoomPayload.read(cut.body());
            assertThat(payload.run().messages().getFirst().seq()).isEqualTo(cut.from());
            assertThat(payload.run().messages().getLast().seq()).isEqualTo(cut.to());
            all.addAll(payload.run().messages());
        }
        return all;
    }

    @Test
    void the_content_is_140_characters_of_multi_byte_text() {
        String content = batch().messages().getFirst().content();

        assertThat(content).hasSize(140);
        assertThat(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(200);
    }

    @Test
    void a_batch_of_256_messages_fits_one_payload_at_1_mib() {
        List<PayloadSplitter.Cut> cuts = PayloadSplitter.split(batch(), "n2", 3, 1 << 20);

        assertThat(cuts).hasSize(1);
        assertThat(readBack(cuts)).isEqualTo(batch().messages());
    }

    @Test
    void at_32_kib_a_batch_splits_into_contiguous_runs_that_lose_nothing() {
        List<PayloadSplitter.Cut> cuts = PayloadSplitter.split(batch(), "n2", 3, 32 * 1024);

        assertThat(cuts).hasSizeGreaterThan(1);
        for (int i = 1; i < cuts.size(); i++) {
            assertThat(cuts.get(i).from()).isEqualTo(cuts.get(i - 1).to() + 1);
        }
        assertThat(readBack(cuts)).isEqualTo(batch().messages());
    }

    @Test
    void every_payload_stays_under_max_payload_minus_the_margin_in_utf8_bytes() {
        List<PayloadSplitter.Cut> cuts = PayloadSplitter.split(batch(), "n2", 3, 32 * 1024);

        assertThat(cuts).allSatisfy(cut -> assertThat(cut.body().length)
                .isLessThanOrEqualTo(32 * 1024 - PayloadSplitter.MARGIN));
    }

    @Test
    void payloads_are_filled_close_to_the_limit() {
        List<PayloadSplitter.Cut> cuts = PayloadSplitter.split(batch(), "n2", 3, 32 * 1024);
        int oneMessage = PayloadSplitter.split(Messages.batch(5, "general", 1001, 1, CONTENT), "n2", 3, 32 * 1024)
                .getFirst().body().length;

        assertThat(cuts.subList(0, cuts.size() - 1)).allSatisfy(cut -> assertThat(cut.body().length)
                .isGreaterThan(32 * 1024 - PayloadSplitter.MARGIN - oneMessage));
    }

    @Test
    void a_message_larger_than_the_limit_goes_alone() {
        CommittedBatch batch = Messages.batch(5, "general", 1, 3, "x".repeat(40_000));

        List<PayloadSplitter.Cut> cuts = PayloadSplitter.split(batch, "n2", 3, 32 * 1024);

        assertThat(cuts).extracting(PayloadSplitter.Cut::messages).containsExactly(1, 1, 1);
        assertThat(readBack(cuts)).isEqualTo(batch.messages());
    }
}
