package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.server.spi.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomPayloadTest {
    private static byte[] payload(CommittedBatch batch) {
        List<PayloadSplitter.Cut> cuts = PayloadSplitter.split(batch, "n2", 3, 1 << 20);
        assertThat(cuts).hasSize(1);
        return cuts.getFirst().body();
    }

    @Test
    void a_payload_reads_back_as_the_run_it_carries() {
        CommittedBatch batch = Messages.batch(5, "general", 101, 3);

        RoomPayload read = RoomPayload.read(payload(batch));

        assertThat(read.node()).isEqualTo("n2");
        assertThat(read.mapVersion()).isEqualTo(3);
        assertThat(read.run()).isEqualTo(batch);
    }

    @Test
    void a_payload_has_the_header_of_the_design_and_the_api_message_json() {
        CommittedBatch batch = Messages.batch(5, "general", 101, 2);

        String text = new String(payload(batch), StandardCharsets.UTF_8);

        assertThat(text).isEqualTo("{\"v\":1,\"node\":\"n2\",\"map\":3,\"shard\":5,\"room\":\"general\",\"epoch\":1,"
                + "\"from\":101,\"to\":102,\"messages\":[" + MessageCodec.write(batch.messages().get(0)) + ","
                + MessageCodec.write(batch.messages().get(1)) + "]}");
    }

    @Test
    void an_unknown_version_is_rejected_as_such() {
        byte[] v2 = new String(payload(Messages.batch(5, "general", 1, 1)), StandardCharsets.UTF_8)
                .replace("{\"v\":1,", "{\"v\":2,").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RoomPayload.read(v2)).isInstanceOfSatisfying(RejectedPayloadException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectedPayloadException.Reason.UNKNOWN_VERSION))
                .hasMessage("a room payload of format v2 is not readable here: this node reads v1");
    }

    @Test
    void a_payload_that_is_not_json_is_rejected_as_malformed() {
        assertThatThrownBy(() -> RoomPayload.read("{\"v\":1,".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RejectedPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectedPayloadException.Reason.MALFORMED))
                .hasMessageStartingWith("a malformed room payload: not JSON");
    }

    @Test
    void a_header_that_disagrees_with_its_messages_is_rejected_as_malformed() {
        byte[] lying = new String(payload(Messages.batch(5, "general", 7, 2)), StandardCharsets.UTF_8)
                .replace("\"to\":8", "\"to\":9").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RoomPayload.read(lying)).isInstanceOf(RejectedPayloadException.class)
                .hasMessage("a malformed room payload: room 'general': header says epoch 1, seq 7..9 but its messages"
                        + " are epoch 1, seq 7..8");
    }

    @Test
    void a_run_with_a_gap_is_rejected_as_malformed() {
        String one = MessageCodec.write(Messages.batch(5, "general", 1, 1).messages().getFirst());
        String three = MessageCodec.write(Messages.batch(5, "general", 3, 1).messages().getFirst());
        byte[] gap = ("{\"v\":1,\"node\":\"n2\",\"map\":3,\"shard\":5,\"room\":\"general\",\"epoch\":1,\"from\":1,"
                + "\"to\":3,\"messages\":[" + one + "," + three + "]}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RoomPayload.read(gap)).isInstanceOfSatisfying(RejectedPayloadException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectedPayloadException.Reason.MALFORMED))
                .hasMessageContaining("gapless seq order");
    }

    @Test
    void the_subject_names_shard_and_room() {
        assertThat(RoomPayload.subject(5, "general")).isEqualTo("loomlite.room.5.general");
    }
}
