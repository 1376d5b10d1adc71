package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ClientIdConflictException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void a_file_written_before_the_client_id_index_moved_keeps_exactly_once_after_it_is_rebuilt() {
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            pool.database(Shards.databaseName(0), Schema.MIGRATIONS.subList(0, 2)).update(
                    "INSERT INTO messages(id, room, seq, author_id, author, client_id, content, created_at)"
                            + " VALUES (1, 'general', 1, 'u1', 'name-u1', 'c1', 'hello', 0)");
        }

        try (ChatFixture f = new ChatFixture(dir, ChatConfig.defaults().withShards(1))) {
            SendResult repeat = f.chat.send(request("general", "u1", "c1", "hello"));
            SendResult next = f.chat.send(request("general", "u1", "c2", "next"));

            assertThat(repeat.replay()).isTrue();
            assertThat(repeat.message().seq()).isEqualTo(1);
            assertThat(next.message().seq()).isEqualTo(2);
            assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c1", "other")))
                    .isInstanceOf(ClientIdConflictException.class);
            assertThat(f.chat.shardOf("general").database().query(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name",
                    rs -> rs.getString(1))).containsExactly("messages_client_author", "messages_room_seq");
        }
    }

    @Test
    void a_file_written_before_epochs_reads_its_messages_as_epoch_1_and_keeps_its_sequence() {
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build())) {
            pool.database(Shards.databaseName(0), Schema.MIGRATIONS.subList(0, 3)).update(
                    "INSERT INTO messages(id, room, seq, author_id, author, client_id, content, created_at)"
                            + " VALUES (1, 'general', 1, 'u1', 'name-u1', 'c1', 'hello', 0)");
        }

        try (ChatFixture f = new ChatFixture(dir, ChatConfig.defaults().withShards(1))) {
            SendResult next = f.chat.send(request("general", "u1", "c2", "next"));

            assertThat(f.all("general")).extracting(ChatMessage::seq, ChatMessage::epoch)
                    .containsExactly(tuple(1L, 1L), tuple(2L, 1L));
            assertThat(next.message().epoch()).isEqualTo(1);
            assertThat(f.chat.shardOf("general").database().query(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", rs -> rs.getString(1)))
                    .contains("room_epochs", "shard_epochs", "shard_stamp");
        }
    }
}
