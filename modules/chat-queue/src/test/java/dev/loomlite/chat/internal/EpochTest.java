package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.CursorAheadException;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.Subscription;
import dev.loomlite.sqlite.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epochs: every message carries its room's history generation, and a cursor is checked against what its epoch may
 * keep. No code path raises an epoch yet (failover will); these tests write the bump a takeover would write.
 */
class EpochTest {
    static final ChatConfig ONE = ChatConfig.defaults().withShards(1);

    @TempDir
    Path dir;

    @Test
    void messages_are_stored_and_read_with_epoch_1() {
        try (ChatFixture f = new ChatFixture(dir, ONE)) {
            ChatMessage sent = f.chat.send(request("general", "u1", "c1", "hello")).message();

            assertThat(sent.epoch()).isEqualTo(1);
            assertThat(f.all("general")).extracting(ChatMessage::epoch).containsExactly(1L);
            assertThat(roomEpochRows(f.chat.shardOf("general").database())).isZero();
        }
    }

    @Test
    void after_a_takeover_that_lost_a_tail_new_messages_carry_the_new_epoch_from_the_first_lost_seq() {
        try (ChatFixture f = takeoverLosingSeq4And5()) {
            ChatMessage next = f.chat.send(request("general", "u1", "c6", "after the takeover")).message();

            assertThat(next.seq()).isEqualTo(4);
            assertThat(next.epoch()).isEqualTo(2);
            assertThat(f.all("general")).extracting(ChatMessage::epoch).containsExactly(1L, 1L, 1L, 2L);
            assertThat(roomEpochRows(f.chat.shardOf("general").database())).isEqualTo(1);
        }
    }

    @Test
    void a_cursor_of_the_old_epoch_past_the_replaced_seq_is_refused_with_what_it_may_keep_and_the_new_epoch() {
        try (ChatFixture f = takeoverLosingSeq4And5()) {
            f.chat.send(request("general", "u1", "c6", "after the takeover"));

            assertThatThrownBy(() -> f.chat.subscribe("general", 1, 5, new Collector(1)))
                    .isInstanceOfSatisfying(CursorAheadException.class, e -> {
                        assertThat(e.lastSeq()).isEqualTo(3);
                        assertThat(e.epoch()).isEqualTo(2);
                        assertThat(e.getMessage()).contains("room 'general' (epoch 2)", "up to seq 3", "after seq 5");
                    });
            assertThatThrownBy(() -> f.chat.subscribe("general", 1, 4, new Collector(1)))
                    .isInstanceOf(CursorAheadException.class);
        }
    }

    @Test
    void a_cursor_of_the_old_epoch_before_the_replaced_seq_gets_the_new_epochs_messages() throws InterruptedException {
        try (ChatFixture f = takeoverLosingSeq4And5()) {
            f.chat.send(request("general", "u1", "c6", "after the takeover"));
            Collector collector = new Collector(4);

            Subscription subscription = f.chat.subscribe("general", 1, 3, collector);
            try {
                assertThat(collector.awaitSeq()).isTrue();
            } finally {
                subscription.close();
            }
            assertThat(collector.received).extracting(ChatMessage::seq, ChatMessage::epoch)
                    .containsExactly(tuple(4L, 2L));
        }
    }

    @Test
    void a_cursor_of_the_current_epoch_is_checked_against_the_rooms_end_only() {
        try (ChatFixture f = takeoverLosingSeq4And5()) {
            f.chat.send(request("general", "u1", "c6", "after the takeover"));

            try (Subscription accepted = f.chat.subscribe("general", 2, 4, new Collector(5))) {
                assertThat(accepted).isNotNull();
            }
            assertThatThrownBy(() -> f.chat.subscribe("general", 2, 5, new Collector(1)))
                    .isInstanceOfSatisfying(CursorAheadException.class, e -> assertThat(e.lastSeq()).isEqualTo(4));
        }
    }

    @Test
    void a_cursor_from_a_later_epoch_than_the_rooms_keeps_nothing() {
        try (ChatFixture f = new ChatFixture(dir, ONE)) {
            f.chat.send(request("general", "u1", "c1", "hello"));

            assertThatThrownBy(() -> f.chat.subscribe("general", 2, 0, new Collector(1)))
                    .isInstanceOfSatisfying(CursorAheadException.class, e -> {
                        assertThat(e.lastSeq()).isZero();
                        assertThat(e.epoch()).isEqualTo(1);
                    });
        }
    }

    @Test
    void the_old_three_argument_subscribe_is_a_cursor_of_epoch_1() {
        try (ChatFixture f = takeoverLosingSeq4And5()) {
            f.chat.send(request("general", "u1", "c6", "after the takeover"));

            assertThatThrownBy(() -> f.chat.subscribe("general", 4, new Collector(1)))
                    .isInstanceOfSatisfying(CursorAheadException.class, e -> assertThat(e.lastSeq()).isEqualTo(3));
        }
    }

    /**
     * Room "general" had seq 1..5 in epoch 1; the replica a new owner took over held only 1..3, so the owner starts
     * epoch 2 (a row in shard_epochs, as a takeover will write it). Returns the service reopened at epoch 2.
     */
    private ChatFixture takeoverLosingSeq4And5() {
        ChatFixture f = new ChatFixture(dir, ONE);
        for (int i = 1; i <= 5; i++) {
            f.chat.send(request("general", "u1", "c" + i, "message " + i));
        }
        Database db = f.chat.shardOf("general").database();
        db.update("DELETE FROM messages WHERE room = 'general' AND seq > 3");
        db.update("INSERT INTO shard_epochs(epoch, node, map_version, first_rowid, started_at)"
                + " VALUES (2, 'standalone', 0, (SELECT max(id) FROM messages) + 1, 0)");
        f.restart();
        assertThat(f.chat.shardOf("general").epoch()).isEqualTo(2);
        assertThat(f.chat.history("general", HistoryQuery.latest(10)).messages()).hasSize(3);
        return f;
    }

    private static long roomEpochRows(Database db) {
        return db.queryOne("SELECT count(*) FROM room_epochs", rs -> rs.getLong(1)).orElseThrow();
    }
}
