package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.spi.CommittedBatch;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker goes away and comes back: nothing blocks, losses are counted, fan-out resumes by itself. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokerOutageTest {
    @RegisterExtension
    final TwoNodes nodes = new TwoNodes(OptionalInt.empty());

    private static void awaitDown(NatsLink link) {
        Eventually.within(TwoNodes.ARRIVAL, () -> link.state() == NatsLink.State.RECONNECTING,
                () -> "link " + link.state());
    }

    private static CountDownLatch reconnected(NatsLink link) {
        CountDownLatch latch = new CountDownLatch(1);
        link.onSignal(signal -> {
            if (signal == NatsLink.Signal.RECONNECTED) {
                latch.countDown();
            }
        });
        return latch;
    }

    @Test
    void publishing_while_the_broker_is_down_drops_and_counts_without_blocking_the_caller() {
        NatsLink link = nodes.connected("n1");
        RoomPublisher publisher = nodes.publisher(link, "n1");
        nodes.nats().stop();
        awaitDown(link);

        for (int seq = 1; seq <= 1000; seq++) {
            publisher.committed(Messages.batch(5, "general", seq, 1));
        }

        Eventually.within(TwoNodes.ARRIVAL, () -> publisher.counts().dropped(RoomPublisher.Drop.DISCONNECTED) == 1000,
                () -> publisher.counts().toString());
        assertThat(publisher.counts().dropped(RoomPublisher.Drop.QUEUE_FULL)).isZero();
        assertThat(publisher.counts().payloads()).isZero();
    }

    @Test
    void publishing_resumes_after_the_broker_returns() throws Exception {
        NatsLink followerLink = nodes.connected("n2");
        RecordingListener follower = new RecordingListener();
        nodes.keep(new RoomFeed(followerLink, nodes.placement("n2")).follow(5, "general", follower));
        NatsLink ownerLink = nodes.connected("n1");
        RoomPublisher publisher = nodes.publisher(ownerLink, "n1");
        CountDownLatch ownerBack = reconnected(ownerLink);
        CountDownLatch followerBack = reconnected(followerLink);
        nodes.nats().stop();
        awaitDown(ownerLink);
        publisher.committed(Messages.batch(5, "general", 1, 1));
        Eventually.within(TwoNodes.ARRIVAL, () -> publisher.counts().dropped(RoomPublisher.Drop.DISCONNECTED) == 1,
                () -> publisher.counts().toString());

        nodes.nats().start();
        assertThat(ownerBack.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(followerBack.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(followerLink.flush(Duration.ofSeconds(2))).isTrue();   // its subscription is restored at the broker
        CommittedBatch after = Messages.batch(5, "general", 2, 1);
        publisher.committed(after);

        assertThat(follower.awaitRuns(1, TwoNodes.ARRIVAL)).containsExactly(after);
    }

    @Test
    void a_follow_made_while_the_broker_is_down_returns_and_delivers_once_it_is_up() throws Exception {
        nodes.nats().stop();
        NatsLink followerLink = nodes.link("n2");
        RecordingListener follower = new RecordingListener();

        nodes.keep(new RoomFeed(followerLink, nodes.placement("n2")).follow(5, "general", follower));
        nodes.nats().start();
        TwoNodes.awaitConnected(followerLink);
        assertThat(followerLink.flush(Duration.ofSeconds(2))).isTrue();
        RoomPublisher publisher = nodes.owner();
        CommittedBatch batch = Messages.batch(5, "general", 1, 2);
        publisher.committed(batch);

        assertThat(follower.awaitRuns(2, TwoNodes.ARRIVAL)).containsExactly(batch);
    }

    @Test
    void closing_a_link_that_never_reached_a_broker_ends_its_threads() {
        nodes.nats().stop();
        NatsLink link = nodes.link("n3");
        assertThat(link.state()).isEqualTo(NatsLink.State.CONNECTING);

        link.close();

        assertThat(link.state()).isEqualTo(NatsLink.State.CLOSED);
        Eventually.within(Duration.ofSeconds(3), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("loomlite-nats-n3-")), () -> "threads of n3 still alive: "
                + Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("loomlite-nats-n3-")).toList());
    }
}
