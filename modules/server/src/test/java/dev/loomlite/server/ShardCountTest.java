package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --shards}: how many chat files the rooms are spread over, fixed once they exist. */
class ShardCountTest {
    @TempDir
    Path data;

    @Test
    void the_server_spreads_rooms_over_the_configured_number_of_chat_files() throws Exception {
        try (ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withShards(3))) {
            Client alice = Client.signedIn(server.uri(), "alice");
            assertThat(alice.sendMessage("general", "c-1", "hello").statusCode()).isEqualTo(201);
        }
        assertThat(data.resolve("chat-0.db")).exists();
        assertThat(data.resolve("chat-2.db")).exists();
        assertThat(data.resolve("chat-3.db")).doesNotExist();
    }

    @Test
    void a_start_with_another_shard_count_than_the_files_stops_with_both_counts() {
        ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withShards(3)).close();

        assertThatThrownBy(() -> ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withShards(2)))
                .hasMessageContaining("a layout of 3 shards").hasMessageContaining("configured with shards=2")
                .hasMessageContaining("configure shards=3");
    }
}
