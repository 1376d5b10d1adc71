package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lossy cluster (issue 11's T6 and T8b): the owners drop every 10th room payload, the broker's payload limit is
 * 32 KiB (so a batch of large messages is split into several payloads), and no session broadcast is ever sent, with a
 * session cache lifetime of 2 s. Whatever the broker loses, the owners' logs and the homes' answers repair.
 */
@Timeout(180)
class ClusterLossIT {
    static final Duration CACHE = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    static ThreeNodes cluster;

    @BeforeAll
    static void start() {
        cluster = ThreeNodes.start(dir, List.of("-Dloomlite.test.dropPublishEvery=10",
                "-Dloomlite.test.dropSessionBroadcasts=true"), List.of("--session-cache-ms", Long.toString(CACHE.toMillis())),
                OptionalInt.of(32 * 1024));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrent_large_messages_split_across_payloads_and_partly_lost_reach_every_node_once_and_in_order()
            throws Exception {
        String room = ThreeNodes.roomOwnedBy(0, 5);
        int senders = 20;
        int perSender = 10;
        List<NodeUser> users = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            users.add(NodeUser.signIn(cluster.node(i % 3), "sender-" + i));
        }
        List<RoomSubscriber> subscribers = List.of(RoomSubscriber.open(cluster.node(0), users.getFirst(), room),
                RoomSubscriber.open(cluster.node(1), users.getFirst(), room),
                RoomSubscriber.open(cluster.node(2), users.getFirst(), room));
        String large = "x".repeat(3900);
        try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                NodeUser user = users.get(i);
                NodeProcess via = cluster.node(1 + i % 2); // never the owner: every send is forwarded
                int sender = i;
                all.add(load.submit(() -> {
                    for (int m = 0; m < perSender; m++) {
                        HttpResponse<String> r = user.send(via, room, "l-" + sender + "-" + m, large + m);
                        assertThat(r.statusCode()).isEqualTo(201);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        int total = senders * perSender;
        for (RoomSubscriber s : subscribers) {
            Eventually.within(Duration.ofSeconds(5), () -> s.seqs.size() >= total, () -> s + " has " + s.seqs.size());
            assertThat(s.seqs).as("%s", s).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            s.close();
        }
        long repairs = 0;
        for (int i = 0; i < 3; i++) {
            repairs += ClusterIT.metric(users.getFirst().get(cluster.node(i), "/metrics").body(),
                    "loomlite_cluster_follower_repairs_total");
        }
        assertThat(repairs).isPositive();
    }

    @Test
    void a_sign_out_whose_broadcast_is_lost_reaches_every_node_within_the_session_cache_lifetime() throws Exception {
        NodeUser user = NodeUser.signIn(cluster.node(0), "grace");
        RoomSubscriber onTwo = RoomSubscriber.open(cluster.node(1), user, "general");
        RoomSubscriber onThree = RoomSubscriber.open(cluster.node(2), user, "general");
        for (int i = 0; i < 3; i++) {
            assertThat(user.get(cluster.node(i), "/api/session").statusCode()).isEqualTo(200); // cached everywhere
        }

        assertThat(user.delete(cluster.node(0), "/api/session").statusCode()).isEqualTo(204);

        Duration bound = CACHE.plusSeconds(1);
        assertThat(onTwo.closed.get(bound.toMillis() + 2000, TimeUnit.MILLISECONDS)).startsWith("1008");
        assertThat(onThree.closed.get(bound.toMillis() + 2000, TimeUnit.MILLISECONDS)).startsWith("1008");
        for (int i = 0; i < 3; i++) {
            int node = i;
            Eventually.within(bound, () -> user.get(cluster.node(node), "/api/session").statusCode() == 401,
                    () -> "the cookie still works on n" + (node + 1));
        }
    }
}
