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
    void opening_files_of_two_shards_with_another_count_fails_naming_both_counts() {
        try (ChatFixture two = new ChatFixture(dir, ChatConfig.defaults().withShards(2))) {
            two.chat.send(request("general", "u1", "c1", "hello"));
        }
        for (int other : new int[] {1, 3}) {
            try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
                assertThatThrownBy(() -> ChatServiceImpl.open(ChatConfig.defaults().withShards(other), pool))
                        .isInstanceOf(ChatException.class)
                        .hasMessageContaining("layout of 2 shards")
                        .hasMessageContaining("shards=" + other)
                        .hasMessageContaining("configure shards=2");
            }
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
}
