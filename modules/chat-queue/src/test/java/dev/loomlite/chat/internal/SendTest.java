package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ClientIdConflictException;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.ValidationException;
import dev.loomlite.sqlite.PoolMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendTest {
    @TempDir
    Path dir;
    ChatFixture f;

    @BeforeEach
    void open() {
        f = new ChatFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void send_returns_the_durable_message_with_seq_from_one() {
        SendResult first = f.chat.send(request("general", "u1", "c1", "hello"));
        SendResult second = f.chat.send(request("general", "u1", "c2", "again"));

        assertThat(first.replay()).isFalse();
        assertThat(first.message().seq()).isEqualTo(1);
        assertThat(second.message().seq()).isEqualTo(2);
        assertThat(first.message().messageId()).isNotEqualTo(second.message().messageId());
        assertThat(first.message()).extracting(ChatMessage::roomId, ChatMessage::authorId, ChatMessage::authorName,
                ChatMessage::clientId, ChatMessage::content).containsExactly("general", "u1", "name-u1", "c1", "hello");
        assertThat(f.all("general")).containsExactly(first.message(), second.message());
    }

    @Test
    void sequential_repeat_of_a_client_id_is_a_replay_of_the_original() {
        SendResult original = f.chat.send(request("general", "u1", "c1", "hello"));
        SendResult repeat = f.chat.send(request("general", "u1", "c1", "hello"));

        assertThat(repeat.replay()).isTrue();
        assertThat(repeat.message()).isEqualTo(original.message());
        assertThat(f.all("general")).hasSize(1);
        assertThat(f.chat.metrics().replayed()).isEqualTo(1);
    }

    @Test
    void reusing_a_client_id_with_other_content_is_a_conflict() {
        f.chat.send(request("general", "u1", "c1", "hello"));

        assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c1", "something else")))
                .isInstanceOf(ClientIdConflictException.class)
                .hasMessageContaining("clientId")
                .hasMessageNotContaining("something else");
        assertThat(f.all("general")).hasSize(1);
    }

    @Test
    void the_same_client_id_from_two_authors_is_two_messages() {
        SendResult a = f.chat.send(request("general", "u1", "c1", "hello"));
        SendResult b = f.chat.send(request("general", "u2", "c1", "hello"));

        assertThat(b.replay()).isFalse();
        assertThat(b.message().seq()).isEqualTo(a.message().seq() + 1);
    }

    @Test
    void restart_between_a_send_and_its_retry_still_stores_one_message() {
        SendResult original = f.chat.send(request("general", "u1", "c1", "hello"));

        f.restart();
        SendResult retry = f.chat.send(request("general", "u1", "c1", "hello"));

        assertThat(retry.replay()).isTrue();
        assertThat(retry.message()).isEqualTo(original.message());
        assertThat(f.all("general")).containsExactly(original.message());
        assertThat(f.chat.send(request("general", "u1", "c2", "next")).message().seq()).isEqualTo(2);
    }

    @Test
    void a_reply_must_name_a_message_of_the_same_room() {
        ChatMessage target = f.chat.send(request("general", "u1", "c1", "question")).message();
        ChatMessage elsewhere = f.chat.send(request("random", "u1", "c2", "other room")).message();

        ChatMessage reply = f.chat.send(request("general", "u2", "c3", "answer").replyingTo(target.messageId())).message();
        assertThat(reply.replyToId()).hasValue(target.messageId());
        assertThat(f.all("general").getLast().replyToId()).hasValue(target.messageId());

        assertThatThrownBy(() -> f.chat.send(request("general", "u2", "c4", "x").replyingTo(elsewhere.messageId())))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("replyToId"));
        assertThatThrownBy(() -> f.chat.send(request("general", "u2", "c5", "x").replyingTo(999_999)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("replyToId"));
        assertThat(f.all("general")).hasSize(2);
    }

    @Test
    void invalid_fields_are_refused_before_anything_is_queued() {
        assertThatThrownBy(() -> f.chat.send(request("General!", "u1", "c1", "hi")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("roomId"));
        assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c 1", "hi")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("clientId"));
        assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c1", "   ")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("content"));
        assertThat(f.chat.sendAsync(request("general", "u1", "c1", "x".repeat(4001))))
                .failsWithin(ChatFixture.WAIT).withThrowableThat().withCauseInstanceOf(ValidationException.class);
        assertThat(f.chat.rooms()).isEmpty();
    }

    @Test
    void history_pages_after_before_and_latest_in_seq_order() {
        for (int i = 1; i <= 7; i++) {
            f.chat.send(request("general", "u1", "c" + i, "m" + i));
        }

        var after = f.chat.history("general", HistoryQuery.after(2, 3));
        var before = f.chat.history("general", HistoryQuery.before(4, 5));
        var latest = f.chat.history("general", HistoryQuery.latest(2));

        assertThat(after.messages()).extracting(ChatMessage::seq).containsExactly(3L, 4L, 5L);
        assertThat(after.hasMore()).isTrue();
        assertThat(before.messages()).extracting(ChatMessage::seq).containsExactly(1L, 2L, 3L);
        assertThat(before.hasMore()).isFalse();
        assertThat(latest.messages()).extracting(ChatMessage::seq).containsExactly(6L, 7L);
        assertThat(latest.hasMore()).isTrue();
    }

    @Test
    void rooms_lists_every_room_with_its_last_seq() {
        f.chat.send(request("b-room", "u1", "c1", "x"));
        f.chat.send(request("a-room", "u1", "c2", "x"));
        f.chat.send(request("a-room", "u1", "c3", "x"));

        assertThat(f.chat.rooms()).containsExactly(new RoomInfo("a-room", 2), new RoomInfo("b-room", 1));
    }

    @Test
    void async_send_completes_off_the_room_thread() {
        SendResult r = f.chat.sendAsync(request("general", "u1", "c1", "hi"))
                .thenApply(x -> {
                    assertThat(Thread.currentThread().getName()).doesNotStartWith("chat-room-");
                    return x;
                }).join();

        assertThat(r.message().seq()).isEqualTo(1);
        assertThat(List.of(f.chat.metrics().accepted())).containsExactly(1L);
    }

    @Test
    void reusing_a_client_id_in_another_room_of_the_same_shard_is_a_conflict() {
        try (ChatFixture one = new ChatFixture(dir.resolve("one-shard"), ChatConfig.defaults().withShards(1))) {
            one.chat.send(request("general", "u1", "c1", "hello"));

            assertThatThrownBy(() -> one.chat.send(request("random", "u1", "c1", "hello")))
                    .isInstanceOf(ClientIdConflictException.class);
            assertThat(one.all("random")).isEmpty();
        }
    }

    @Test
    void reusing_a_client_id_in_a_room_of_another_shard_is_a_conflict_also_after_a_restart() {
        try (ChatFixture two = new ChatFixture(dir.resolve("two-shards"), ChatConfig.defaults().withShards(2))) {
            String here = "general";
            String there = roomInAnotherShard(here, 2);
            SendResult original = two.chat.send(request(here, "u1", "c1", "hello"));

            assertThatThrownBy(() -> two.chat.send(request(there, "u1", "c1", "hello")))
                    .isInstanceOf(ClientIdConflictException.class).hasMessageContaining("clientId");
            two.restart();
            assertThatThrownBy(() -> two.chat.send(request(there, "u1", "c1", "hello")))
                    .isInstanceOf(ClientIdConflictException.class);
            assertThatThrownBy(() -> two.chat.send(request(here, "u1", "c1", "other content")))
                    .isInstanceOf(ClientIdConflictException.class);
            SendResult repeat = two.chat.send(request(here, "u1", "c1", "hello"));

            assertThat(repeat).isEqualTo(new SendResult(original.message(), true));
            assertThat(two.all(there)).isEmpty();
            assertThat(two.all(here)).containsExactly(original.message());
            assertThat(two.chat.send(request(there, "u2", "c1", "hello")).replay()).isFalse();
        }
    }

    @Test
    void a_replayed_send_takes_no_seq_and_no_row_id() {
        SendResult first = f.chat.send(request("general", "u1", "c1", "hello"));
        f.chat.send(request("general", "u1", "c1", "hello"));
        SendResult next = f.chat.send(request("general", "u1", "c2", "next"));

        assertThat(next.message().seq()).isEqualTo(first.message().seq() + 1);
        assertThat(Shards.rowidOf(next.message().messageId())).isEqualTo(Shards.rowidOf(first.message().messageId()) + 1);
        assertThat(Shards.shardOf(next.message().messageId())).isEqualTo(Shards.shardOf(first.message().messageId()));
    }

    @Test
    void the_client_id_lookup_of_a_batch_aligns_found_messages_with_sends_whatever_the_author_characters() {
        List<String> authors = List.of("quote\"d", "back\\slash", "emoji \uD83D\uDE00", "plain", "[\"json\", 1]");
        List<SendResult> stored = authors.stream().map(a -> f.chat.send(request("general", a, "c1", "hi"))).toList();
        MessageStore store = f.chat.shardOf("general");

        List<Pending> lookups = new ArrayList<>();
        for (String a : authors) {
            lookups.add(new Pending(request("general", a, "c1", "hi")));
            lookups.add(new Pending(request("general", a, "missing", "hi")));
        }
        List<ChatMessage> found = store.byClientIds(lookups);

        for (int i = 0; i < authors.size(); i++) {
            assertThat(found.get(2 * i)).isEqualTo(stored.get(i).message());
            assertThat(found.get(2 * i + 1)).isNull();
        }
    }

    @Test
    void with_loaded_key_filters_new_client_ids_are_not_read_in_other_shards_and_reuse_is_still_refused() {
        try (ChatFixture two = new ChatFixture(dir.resolve("filtered"), ChatConfig.defaults().withShards(2))) {
            String here = "general";
            String there = roomInAnotherShard(here, 2);
            SendResult original = two.chat.send(request(here, "u1", "c1", "hello"));
            two.restart(); // the filters now load what is stored
            ChatFixture.eventually(two.chat::keysLoaded);
            String otherDb = Shards.databaseName(Shards.of(here, 2));
            long readsBefore = reads(two, otherDb);

            for (int i = 0; i < 20; i++) {
                two.chat.send(request(there, "u1", "fresh-" + i, "new"));
            }

            assertThat(reads(two, otherDb)).as("reads of the other shard for keys it cannot hold").isEqualTo(readsBefore);
            assertThatThrownBy(() -> two.chat.send(request(there, "u1", "c1", "hello")))
                    .isInstanceOf(ClientIdConflictException.class);
            assertThat(two.chat.send(request(here, "u1", "c1", "hello"))).isEqualTo(new SendResult(original.message(), true));
        }
    }

    private static long reads(ChatFixture f, String database) {
        return f.pool.metrics().lanes().stream()
                .filter(l -> l.database().equals(database) && l.kind() == PoolMetrics.Kind.READ)
                .mapToLong(l -> l.completed()).sum();
    }

    /** A room id that {@code shards} shards place in another file than {@code room}. */
    private static String roomInAnotherShard(String room, int shards) {
        return IntStream.range(0, 100).mapToObj(i -> "room-" + i)
                .filter(id -> Shards.of(id, shards) != Shards.of(room, shards)).findFirst().orElseThrow();
    }
}
