package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.chat.spi.Follow;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Fan-out through a real broker: n1 owns every shard and publishes, n2 follows. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoomFanOutTest {
    @TempDir
    Path dir;

    private NatsProcess nats;
    private TwoNodes nodes;

    @BeforeEach
    void broker() {
        nats = NatsProcess.start(dir, OptionalInt.of(32 * 1024));
        nodes = new TwoNodes(nats.uri());
    }

    @AfterEach
    void close() throws Exception {
        nodes.close();
        nats.close();
    }

    private RoomFeed feed(String node) {
        return new RoomFeed(nodes.connected(node), nodes.placement(node));
    }

    @Test
    void a_published_batch_arrives_at_a_follower_as_one_run_in_order() throws Exception {
        RecordingListener follower = new RecordingListener();
        nodes.keep(feed("n2").follow(5, "general", follower));
        RoomPublisher publisher = nodes.publisher(nodes.connected("n1"), "n1");
        CommittedBatch batch = Messages.batch(5, "general", 1, 5);

        publisher.committed(batch);

        assertThat(follower.awaitRuns(5, TwoNodes.ARRIVAL)).containsExactly(batch);
        assertThat(publisher.counts().payloads()).isEqualTo(1);
        assertThat(publisher.counts().messages()).isEqualTo(5);
    }

    @Test
    void runs_are_handed_over_on_the_named_room_dispatcher_thread() throws Exception {
        RecordingListener follower = new RecordingListener();
        nodes.keep(feed("n2").follow(5, "general", follower));
        RoomPublisher publisher = nodes.publisher(nodes.connected("n1"), "n1");

        publisher.committed(Messages.batch(5, "general", 1, 1));

        follower.awaitRuns(1, TwoNodes.ARRIVAL);
        assertThat(follower.thread()).isEqualTo(RoomFeed.DISPATCHER);
    }

    @Test
    void a_batch_split_under_a_32_kib_max_payload_arrives_as_contiguous_runs_covering_it() throws Exception {
        RecordingListener follower = new RecordingListener();
        nodes.keep(feed("n2").follow(5, "general", follower));
        RoomPublisher publisher = nodes.publisher(nodes.connected("n1"), "n1");
        CommittedBatch batch = Messages.batch(5, "general", 1, 256, "é✓😀 ".repeat(28));

        publisher.committed(batch);

        List<CommittedBatch> runs = follower.awaitRuns(256, TwoNodes.ARRIVAL);
        assertThat(runs).hasSizeGreaterThan(1);
        assertThat(RecordingListener.flatten(runs)).isEqualTo(batch.messages());
        assertThat(publisher.counts().payloads()).isEqualTo(runs.size());
    }

    @Test
    void a_payload_from_a_node_that_does_not_own_the_shard_is_dropped() throws Exception {
        RecordingListener follower = new RecordingListener();
        RoomFeed feed = feed("n2");
        nodes.keep(feed.follow(5, "general", follower));
        RoomPublisher intruder = nodes.publisher(nodes.connected("n3"), "n3");
        RoomPublisher owner = nodes.publisher(nodes.connected("n1"), "n1");

        intruder.committed(Messages.batch(5, "general", 1, 2));
        Eventually.within(TwoNodes.ARRIVAL, () -> feed.counts().foreign() == 1, () -> feed.counts().toString());
        CommittedBatch owned = Messages.batch(5, "general", 1, 3);
        owner.committed(owned);

        assertThat(follower.awaitRuns(3, TwoNodes.ARRIVAL)).containsExactly(owned);
        assertThat(feed.counts().delivered()).isEqualTo(1);
    }

    @Test
    void a_closed_follow_receives_nothing_more() throws Exception {
        RoomFeed feed = feed("n2");
        RecordingListener closed = new RecordingListener();
        RecordingListener witness = new RecordingListener();
        Follow follow = feed.follow(5, "general", closed);
        nodes.keep(feed.follow(5, "general", witness));
        RoomPublisher publisher = nodes.publisher(nodes.connected("n1"), "n1");
        publisher.committed(Messages.batch(5, "general", 1, 1));
        closed.awaitRuns(1, TwoNodes.ARRIVAL);
        witness.awaitRuns(1, TwoNodes.ARRIVAL);

        follow.close();
        follow.close();
        publisher.committed(Messages.batch(5, "general", 2, 1));

        assertThat(witness.awaitRuns(1, TwoNodes.ARRIVAL).getFirst().messages().getFirst().seq()).isEqualTo(2);
        assertThat(closed.isEmpty()).isTrue();
    }

    @Test
    void another_room_of_the_same_shard_is_not_delivered() throws Exception {
        RecordingListener follower = new RecordingListener();
        nodes.keep(feed("n2").follow(5, "general", follower));
        RoomPublisher publisher = nodes.publisher(nodes.connected("n1"), "n1");

        publisher.committed(Messages.batch(5, "random", 1, 1));
        publisher.committed(Messages.batch(5, "general", 1, 1));

        assertThat(follower.awaitRuns(1, TwoNodes.ARRIVAL).getFirst().roomId()).isEqualTo("general");
        assertThat(follower.isEmpty()).isTrue();
    }
}
