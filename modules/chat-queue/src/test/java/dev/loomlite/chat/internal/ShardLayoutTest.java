package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardLayoutTest {
    @TempDir
    Path dir;

    @Test
    void reopening_with_the_same_shard_count_keeps_every_room_history() {
        SendResult sent;
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            sent = two.chat.send(request("general", "u1", "c1", "hello"));
        }
        try (ChatFixture again = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            assertThat(again.all("general")).containsExactly(sent.message());
        }
    }

    @Test
    void opening_files_of_two_shards_with_more_shards_fails_naming_both_counts() {
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            two.chat.send(request("general", "u1", "c1", "hello"));
        }
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            assertThatThrownBy(() -> ChatServiceImpl.open(ChatConfig.defaults().withShards(3), pool))
                    .isInstanceOf(ChatException.class)
                    .hasMessageContaining("layout of 2 shards")
                    .hasMessageContaining("shards=3")
                    .hasMessageContaining("configure shards=2");
        }
        assertThat(dir.resolve("chat-2.db")).as("no file is created for the wrong count").doesNotExist();
        try (ChatFixture again = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            assertThat(again.all("general")).hasSize(1);
        }
    }

    @Test
    void swapped_shard_files_are_refused() throws Exception {
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            two.chat.send(request("general", "u1", "c1", "hello"));
        }
        Path zero = dir.resolve("chat-0.db");
        Path one = dir.resolve("chat-1.db");
        Path tmp = dir.resolve("swap.db");
        Files.move(zero, tmp);
        Files.move(one, zero);
        Files.move(tmp, one);

        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            assertThatThrownBy(() -> ChatServiceImpl.open(ChatConfig.defaults().withShards(2), pool))
                    .isInstanceOf(ChatException.class)
                    .hasMessageContaining("holds shard 1 of 2, not shard 0");
        }
    }

    @Test
    void opening_with_fewer_shards_fails_while_a_file_beyond_them_exists() {
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            two.chat.send(request("general", "u1", "c1", "hello"));
        }
        forgetLayouts(2);

        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            assertThatThrownBy(() -> ChatServiceImpl.open(ChatConfig.defaults().withShards(1), pool))
                    .isInstanceOf(ChatException.class)
                    .hasMessageContaining("chat-1.db exists");
        }
    }

    @Test
    void files_written_before_layouts_were_recorded_are_refused_when_their_rooms_belong_elsewhere() {
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            for (int i = 0; i < 20; i++) {
                two.chat.send(request("room-" + i, "u1", "c" + i, "hello"));
            }
        }
        forgetLayouts(2);

        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            assertThatThrownBy(() -> ChatServiceImpl.open(ChatConfig.defaults().withShards(3), pool))
                    .isInstanceOf(ChatException.class)
                    .hasMessageContaining("has no shard layout")
                    .hasMessageContaining("configure the shard count these files were written with");
        }
    }

    @Test
    void files_written_before_layouts_were_recorded_are_stamped_when_their_rooms_fit() {
        SendResult sent;
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            sent = two.chat.send(request("general", "u1", "c1", "hello"));
        }
        forgetLayouts(2);

        try (ChatFixture again = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            assertThat(again.all("general")).containsExactly(sent.message());
        }
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            assertThatThrownBy(() -> ChatServiceImpl.open(ChatConfig.defaults().withShards(3), pool))
                    .isInstanceOf(ChatException.class).hasMessageContaining("layout of 2 shards");
        }
    }

    /** Deletes the recorded layouts, as in files written before layouts were recorded. */
    private void forgetLayouts(int shards) {
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            for (int i = 0; i < shards; i++) {
                pool.database(Shards.databaseName(i), Schema.MIGRATIONS).update("DELETE FROM shard_layout");
            }
        }
    }
}
