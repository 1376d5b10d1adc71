package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.chat.spi.Follow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fan-out through a real broker: n1 owns every shard and publishes, n2 follows. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoomFanOutTest {
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes(OptionalInt.of(32 * 1024));

    private RoomFeed feed(String node) {
        return new RoomFeed(nodes.connected(node), nodes.placement(node));
    }

    @Test
    void a_published_batch_arrives_at_a_follower_as_one_run_in_order() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();
        CommittedBatch batch = Messages.batch(5, "general", 1, 5);

        publisher.committed(batch);

        assertThat(follower.awaitRuns(5, TwoNodes.ARRIVAL)).containsExactly(batch);
        assertThat(publisher.counts().payloads()).isEqualTo(1);
        assertThat(publisher.counts().messages()).isEqualTo(5);
    }

    @Test
    void runs_are_handed_over_on_the_named_room_dispatcher_thread() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();

        publisher.committed(Messages.batch(5, "general", 1, 1));

        follower.awaitRuns(1, TwoNodes.ARRIVAL);
        assertThat(follower.thread()).isEqualTo(RoomFeed.DISPATCHER);
    }

    @Test
    void every_thread_the_links_run_is_named_after_its_node() throws Exception {
        RecordingListener follower = nodes.following();
        nodes.owner().committed(Messages.batch(5, "general", 1, 1));
        follower.awaitRuns(1, TwoNodes.ARRIVAL);

        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();

        assertThat(names).anyMatch(n -> n.startsWith("loomlite-nats-n1-"))
                .anyMatch(n -> n.startsWith("loomlite-nats-n2-"))
                .noneMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("nats") || n.startsWith("pool-"));
    }

    @Test
    void a_batch_split_under_a_32_kib_max_payload_arrives_as_contiguous_runs_covering_it() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();
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
        RoomPublisher owner = nodes.owner();

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
        RoomPublisher publisher = nodes.owner();
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
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();

        publisher.committed(Messages.batch(5, "random", 1, 1));
        publisher.committed(Messages.batch(5, "general", 1, 1));

        assertThat(follower.awaitRuns(1, TwoNodes.ARRIVAL).getFirst().roomId()).isEqualTo("general");
        assertThat(follower.isEmpty()).isTrue();
    }

    @Test
    void a_payload_of_an_unknown_version_is_dropped_and_counted() throws Exception {
        RoomFeed feed = feed("n2");
        RecordingListener follower = new RecordingListener();
        nodes.keep(feed.follow(5, "general", follower));
        byte[] v1 = PayloadSplitter.split(Messages.batch(5, "general", 1, 1), "n1", 1, 1 << 20).getFirst().body();
        byte[] v2 = new String(v1, StandardCharsets.UTF_8).replace("{\"v\":1,", "{\"v\":2,")
                .getBytes(StandardCharsets.UTF_8);

        nodes.connected("n1").publish(RoomPayload.subject(5, "general"), v2);

        Eventually.within(TwoNodes.ARRIVAL, () -> feed.counts().unknownVersion() == 1, () -> feed.counts().toString());
        assertThat(follower.isEmpty()).isTrue();
    }

    @Test
    void a_malformed_payload_is_dropped_and_counted() {
        RoomFeed feed = feed("n2");
        RecordingListener follower = new RecordingListener();
        nodes.keep(feed.follow(5, "general", follower));

        nodes.connected("n1").publish(RoomPayload.subject(5, "general"), "{\"v\":1}".getBytes(StandardCharsets.UTF_8));

        Eventually.within(TwoNodes.ARRIVAL, () -> feed.counts().malformed() == 1, () -> feed.counts().toString());
        assertThat(follower.isEmpty()).isTrue();
    }

    @Test
    void a_message_larger_than_the_brokers_max_payload_is_dropped_and_counted() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();

        publisher.committed(Messages.batch(5, "general", 1, 1, "x".repeat(40_000)));
        publisher.committed(Messages.batch(5, "general", 2, 1));

        assertThat(follower.awaitRuns(1, TwoNodes.ARRIVAL).getFirst().messages().getFirst().seq()).isEqualTo(2);
        assertThat(publisher.counts().dropped(RoomPublisher.Drop.TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void close_publishes_what_was_queued_before_it() throws Exception {
        RecordingListener follower = nodes.following();
        RoomPublisher publisher = nodes.owner();
        for (int seq = 1; seq <= 100; seq++) {
            publisher.committed(Messages.batch(5, "general", seq, 1));
        }

        publisher.close();

        assertThat(RecordingListener.flatten(follower.awaitRuns(100, TwoNodes.ARRIVAL))).hasSize(100);
        assertThat(publisher.counts().dropped(RoomPublisher.Drop.CLOSED)).isZero();
    }

    @Test
    void a_batch_offered_after_close_is_counted_as_closed() {
        RoomPublisher publisher = nodes.owner();
        publisher.close();

        publisher.committed(Messages.batch(5, "general", 1, 3));

        assertThat(publisher.counts().dropped(RoomPublisher.Drop.CLOSED)).isEqualTo(3);
    }
}
