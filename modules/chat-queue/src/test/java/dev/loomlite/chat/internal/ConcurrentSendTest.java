package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.SendTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConcurrentSendTest {
    @TempDir
    Path dir;

    static ExecutorService threads(boolean virtual) {
        return virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newCachedThreadPool();
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {true, false})
    void concurrent_senders_on_many_rooms_store_each_message_once_gapless_in_acceptance_order(boolean virtual)
            throws Exception {
        int rooms = 12;
        int sendersPerRoom = 8;
        int perSender = 25;
        try (ChatFixture f = new ChatFixture(dir, ChatConfig.defaults().withShards(3).withMaxBatch(16));
             var threads = threads(virtual)) {
            Map<String, SendResult> results = new ConcurrentHashMap<>();
            CyclicBarrier start = new CyclicBarrier(rooms * sendersPerRoom);
            List<Future<?>> senders = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                for (int s = 0; s < sendersPerRoom; s++) {
                    String room = "room-" + r;
                    String author = "u" + s;
                    senders.add(threads.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < perSender; i++) {
                            String clientId = room + "_" + author + "_" + i;
                            results.put(clientId, f.chat.send(request(room, author, clientId, "m" + i)));
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> s : senders) {
                s.get(30, TimeUnit.SECONDS);
            }

            for (int r = 0; r < rooms; r++) {
                List<ChatMessage> stored = f.all("room-" + r);
                assertThat(stored).extracting(ChatMessage::seq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) sendersPerRoom * perSender).boxed().toList());
                assertThat(stored).extracting(ChatMessage::clientId).doesNotHaveDuplicates();
                // One sender's sends are accepted one after the other: their seqs ascend in sending order.
                Map<String, List<ChatMessage>> byAuthor = stored.stream()
                        .collect(Collectors.groupingBy(ChatMessage::authorId));
                byAuthor.values().forEach(own -> assertThat(own).extracting(ChatMessage::content)
                        .containsExactlyElementsOf(LongStream.range(0, perSender).mapToObj(i -> "m" + i).toList()));
            }
            assertThat(results).hasSize(rooms * sendersPerRoom * perSender);
            assertThat(results.values()).noneMatch(SendResult::replay);
            assertThat(f.chat.metrics().accepted()).isEqualTo(rooms * sendersPerRoom * perSender);
        }
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {true, false})
    void concurrent_duplicates_of_one_client_id_store_one_message_and_all_get_it(boolean virtual) throws Exception {
        int callers = 64;
        try (ChatFixture f = new ChatFixture(dir); var threads = threads(virtual)) {
            CyclicBarrier start = new CyclicBarrier(callers);
            List<Future<SendResult>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return f.chat.send(request("general", "u1", "same", "hello"));
                }));
            }
            List<SendResult> results = new ArrayList<>();
            for (Future<SendResult> c : calls) {
                results.add(c.get(10, TimeUnit.SECONDS));
            }

            assertThat(results).extracting(SendResult::message).containsOnly(results.getFirst().message());
            assertThat(results).filteredOn(r -> !r.replay()).hasSize(1);
            assertThat(f.all("general")).hasSize(1);
        }
    }

    @Test
    void a_send_arriving_as_an_idle_loop_ends_is_not_lost() throws Exception {
        ChatConfig quick = ChatConfig.defaults().withIdleRoomTimeout(Duration.ofNanos(1));
        try (ChatFixture f = new ChatFixture(dir, quick)) {
            for (int i = 1; i <= 300; i++) {
                SendResult r = f.chat.sendAsync(request("general", "u1", "c" + i, "m")).get(10, TimeUnit.SECONDS);
                assertThat(r.message().seq()).isEqualTo(i);
            }
            ChatFixture.eventually(() -> f.chat.metrics().activeRooms() == 0);
            assertThat(f.chat.send(request("general", "u1", "last", "m")).message().seq()).isEqualTo(301);
        }
    }

    @Test
    void a_full_room_queue_fails_fast_with_retry_after() throws Exception {
        ChatConfig small = ChatConfig.defaults().withMaxRoomQueue(2).withMaxBatch(1);
        try (ChatFixture f = new ChatFixture(dir, small)) {
            CountDownLatch release = new CountDownLatch(1);
            var blocker = ChatFixture.blockWriter(f.chat.shardOf("general").database(), release);
            List<CompletableFuture<SendResult>> accepted = new ArrayList<>();
            accepted.add(f.chat.sendAsync(request("general", "u1", "c0", "m")));
            ChatFixture.eventually(() -> f.chat.metrics().queued() == 0); // the loop took c0 and waits on the writer
            accepted.add(f.chat.sendAsync(request("general", "u1", "c1", "m")));
            accepted.add(f.chat.sendAsync(request("general", "u1", "c2", "m")));

            assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c3", "m")))
                    .isInstanceOfSatisfying(QueueSaturatedException.class, e -> {
                        assertThat(e.retryAfter()).isPositive();
                        assertThat(e.getMessage()).contains("general", "limit 2");
                    });
            release.countDown();
            assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
            for (var a : accepted) {
                assertThat(a.get(10, TimeUnit.SECONDS).replay()).isFalse();
            }
            assertThat(f.chat.metrics().rejected()).isEqualTo(1);
            assertThat(f.all("general")).hasSize(3);
        }
    }

    @Test
    void a_full_global_queue_fails_fast_across_rooms() throws Exception {
        ChatConfig small = ChatConfig.defaults().withShards(1).withMaxGlobalQueue(2).withMaxBatch(1);
        try (ChatFixture f = new ChatFixture(dir, small)) {
            CountDownLatch release = new CountDownLatch(1);
            var blocker = ChatFixture.blockWriter(f.chat.shardOf("a").database(), release);
            List<CompletableFuture<SendResult>> accepted = new ArrayList<>();
            for (String room : List.of("a", "b")) {
                accepted.add(f.chat.sendAsync(request(room, "u1", room + "0", "m")));
                ChatFixture.eventually(() -> f.chat.metrics().queued() == 0);
            }
            accepted.add(f.chat.sendAsync(request("a", "u1", "a1", "m")));
            accepted.add(f.chat.sendAsync(request("b", "u1", "b1", "m")));

            assertThatThrownBy(() -> f.chat.send(request("c", "u1", "c0", "m")))
                    .isInstanceOf(QueueSaturatedException.class).hasMessageContaining("over all rooms, limit 2");
            release.countDown();
            assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
            for (var a : accepted) {
                assertThat(a.get(10, TimeUnit.SECONDS).replay()).isFalse();
            }
            assertThat(f.chat.send(request("c", "u1", "c0", "m")).message().seq()).isEqualTo(1);
        }
    }

    @Test
    void a_send_not_committed_within_its_timeout_throws_send_timeout_and_its_retry_gets_the_one_stored_message()
            throws Exception {
        try (ChatFixture f = new ChatFixture(dir)) {
            CountDownLatch release = new CountDownLatch(1);
            var blocker = ChatFixture.blockWriter(f.chat.shardOf("general").database(), release);

            assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c1", "m"), Duration.ofMillis(50)))
                    .isInstanceOfSatisfying(SendTimeoutException.class, e -> {
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(50));
                        assertThat(e.getMessage()).contains("general", "50 ms", "may or may not be stored");
                    });
            assertThat(f.chat.metrics().timedOut()).isEqualTo(1);
            CompletableFuture<SendResult> retry = f.chat.sendAsync(request("general", "u1", "c1", "m"));
            release.countDown();
            assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
            SendResult stored = retry.get(10, TimeUnit.SECONDS);
            assertThat(stored.message().seq()).isEqualTo(1);
            assertThat(f.chat.send(request("general", "u1", "c1", "m"), Duration.ofSeconds(10)).replay()).isTrue();
            assertThat(f.all("general")).hasSize(1);
        }
    }

    @Test
    void a_send_timeout_must_be_positive() {
        try (ChatFixture f = new ChatFixture(dir)) {
            assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c1", "m"), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
            assertThat(f.all("general")).isEmpty();
        }
    }
}
