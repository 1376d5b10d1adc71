package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit sink: every batch that stored messages, once, per room in seq order; a failing sink costs no send. */
class CommitSinkTest {
    static final int SENDERS = 40;
    static final int PER_SENDER = 25;

    @TempDir
    Path dir;

    @Test
    void the_sink_sees_every_stored_message_once_per_room_in_seq_order_and_never_a_replay() throws Exception {
        ConcurrentLinkedQueue<CommittedBatch> batches = new ConcurrentLinkedQueue<>();
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
             ChatServiceImpl chat = ChatServiceImpl.open(ChatConfig.defaults(), pool, batches::add)) {
            List<SendResult> sent = sendConcurrently(chat);
            // The sink is called after the senders are answered: wait for it to have seen them all.
            ChatFixture.eventually(() -> count(batches) == sent.size());
            SendResult replay = chat.send(request("room-0", "u0", "u0-0", "m"));
            SendResult marker = chat.send(request("room-0", "u0", "marker", "m"));
            // Batches of one room reach the sink in seq order: a replay handed over would come before the marker.
            ChatFixture.eventually(() -> count(batches) == sent.size() + 1);

            assertThat(replay.replay()).isTrue();
            assertThat(batches).last().satisfies(b -> assertThat(b.messages()).containsExactly(marker.message()));
            Map<String, List<Long>> seqsByRoom = new ConcurrentHashMap<>();
            for (CommittedBatch b : batches) {
                for (ChatMessage m : b.messages()) {
                    seqsByRoom.computeIfAbsent(b.roomId(), r -> new ArrayList<>()).add(m.seq());
                }
                assertThat(b.shard()).isEqualTo(chat.shardOf(b.roomId()).shard());
            }
            for (var room : seqsByRoom.entrySet()) {
                List<Long> expected = LongStream.rangeClosed(1, room.getValue().size()).boxed().toList();
                assertThat(room.getValue()).as("room %s", room.getKey()).isEqualTo(expected);
            }
            assertThat(seqsByRoom.values().stream().mapToInt(List::size).sum()).isEqualTo(sent.size() + 1);
        }
    }

    @Test
    void a_committed_batch_holds_one_room_in_gapless_seq_order() {
        assertThatThrownBy(() -> new CommittedBatch(0, "a", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one message");
        assertThatThrownBy(() -> new CommittedBatch(0, "a", List.of(message("a", 1), message("a", 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq 3").hasMessageContaining("not seq 2");
        assertThatThrownBy(() -> new CommittedBatch(0, "a", List.of(message("a", 1), message("b", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("room 'b'");
        assertThat(new CommittedBatch(0, "a", List.of(message("a", 4), message("a", 5))).messages()).hasSize(2);
    }

    private static ChatMessage message(String room, long seq) {
        return new ChatMessage(seq * 64, room, seq, "c" + seq, "u1", "Alice", "hi", OptionalLong.empty(), Instant.EPOCH);
    }

    private static int count(ConcurrentLinkedQueue<CommittedBatch> batches) {
        return batches.stream().mapToInt(b -> b.messages().size()).sum();
    }

    @Test
    void a_sink_that_throws_costs_no_send_and_no_subscriber_delivery() throws Exception {
        CommitSink failing = batch -> {
            throw new IllegalStateException("broker down");
        };
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
             ChatServiceImpl chat = ChatServiceImpl.open(ChatConfig.defaults(), pool, failing)) {
            Collector got = new Collector(2);
            chat.subscribe("general", 0, got);

            SendResult first = chat.send(request("general", "u1", "c1", "one"));
            SendResult second = chat.send(request("general", "u1", "c2", "two"));

            assertThat(first.message().seq()).isEqualTo(1);
            assertThat(second.message().seq()).isEqualTo(2);
            assertThat(got.awaitSeq()).isTrue();
            assertThat(got.seqs()).containsExactly(1L, 2L);
        }
    }

    private static List<SendResult> sendConcurrently(ChatServiceImpl chat) throws Exception {
        List<Future<SendResult>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < SENDERS; s++) {
                String author = "u" + s;
                String room = "room-" + (s % 4);
                for (int i = 0; i < PER_SENDER; i++) {
                    String clientId = author + "-" + i;
                    futures.add(threads.submit(() -> chat.send(request(room, author, clientId, "m"))));
                }
            }
        }
        List<SendResult> results = new ArrayList<>();
        for (Future<SendResult> f : futures) {
            results.add(f.get());
        }
        return results;
    }
}
