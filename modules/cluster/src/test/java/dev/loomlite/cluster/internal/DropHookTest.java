package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatMessage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code -Dloomlite.test.dropPublishEvery=N}: the lossy publisher that the followers' repair is tested against. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DropHookTest {
    @TempDir
    Path dir;

    private NatsProcess nats;
    private TwoNodes nodes;

    @BeforeEach
    void broker() {
        nats = NatsProcess.start(dir);
        nodes = new TwoNodes(nats.uri());
    }

    @AfterEach
    void close() throws Exception {
        nodes.close();
        nats.close();
    }

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
        RecordingListener follower = new RecordingListener();
        nodes.keep(new RoomFeed(nodes.connected("n2"), nodes.placement("n2")).follow(5, "general", follower));
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
        RecordingListener follower = new RecordingListener();
        nodes.keep(new RoomFeed(nodes.connected("n2"), nodes.placement("n2")).follow(5, "general", follower));
        RoomPublisher publisher = nodes.publisher(nodes.connected("n1"), "n1");
        System.setProperty(RoomPublisher.DROP_EVERY, "1");
        try {
            publisher.committed(Messages.batch(5, "general", 1, 1));

            assertThat(follower.awaitRuns(1, TwoNodes.ARRIVAL)).hasSize(1);
        } finally {
            System.clearProperty(RoomPublisher.DROP_EVERY);
        }
    }
}
