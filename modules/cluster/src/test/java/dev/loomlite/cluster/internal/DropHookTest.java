package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatMessage;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code -Dloomlite.test.dropPublishEvery=N}: the lossy publisher that the followers' repair is tested against. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DropHookTest {
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes(OptionalInt.empty());

    private RoomPublisher lossyPublisher(int every) {
        NatsLink link = nodes.connected("n1");
        System.setProperty(RoomPublisher.DROP_EVERY, Integer.toString(every));
        try {
            return nodes.publisher(link, "n1");
        } finally {
            System.clearProperty(RoomPublisher.DROP_EVERY);
        }
    }

    @Test
    void the_hook_drops_exactly_every_nth_payload() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = lossyPublisher(3);

        for (int seq = 1; seq <= 10; seq++) {
            publisher.committed(Messages.batch(5, "general", seq, 1));
        }

        // One publisher's payloads arrive in publish order: once seq 10 is in, nothing else is on its way.
        assertThat(RecordingListener.flatten(follower.awaitRuns(7, TwoNodes.ARRIVAL))).extracting(ChatMessage::seq)
                .containsExactly(1L, 2L, 4L, 5L, 7L, 8L, 10L);
        assertThat(publisher.counts().dropped(RoomPublisher.Drop.TEST_HOOK)).isEqualTo(3);
        assertThat(publisher.counts().payloads()).isEqualTo(7);
    }

    @Test
    void the_property_is_read_once_at_construction() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();
        System.setProperty(RoomPublisher.DROP_EVERY, "1");
        try {
            publisher.committed(Messages.batch(5, "general", 1, 1));

            assertThat(follower.awaitRuns(1, TwoNodes.ARRIVAL)).hasSize(1);
        } finally {
            System.clearProperty(RoomPublisher.DROP_EVERY);
        }
    }
}
