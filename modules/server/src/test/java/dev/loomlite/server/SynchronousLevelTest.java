package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.sqlite.Synchronous;
import dev.loomlite.sqlite.testing.OpenedConnections;
import dev.loomlite.sqlite.testing.OpenedConnections.Opened;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server's SQLite connections run with the configured {@code synchronous}: every writer, reader and
 * checkpointer connection of the sessions database and of both chat shards, as SQLite reports it (the pool's
 * {@code ConnectionOpened} JFR event reads {@code PRAGMA synchronous} back on the connection's own thread).
 */
class SynchronousLevelTest {
    static final List<String> DATABASES = List.of("server", "chat-0", "chat-1");
    static final List<String> ROLES = List.of("writer", "reader", "checkpointer");

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(Synchronous.class)
    void every_connection_of_every_database_runs_with_the_configured_level(Synchronous level) throws Exception {
        try (OpenedConnections opened = OpenedConnections.start();
             ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSynchronous(level))) {
            Client alice = Client.signedIn(server.uri(), "alice");              // writes the sessions database
            for (String room : List.of(roomOfShard(0), roomOfShard(1))) {       // writes each shard
                assertThat(alice.sendMessage(room, "c-" + room, "hello").statusCode()).isEqualTo(201);
                assertThat(alice.get("/api/rooms/" + room + "/messages?after=0").statusCode()).isEqualTo(200); // reads
            }
            Client stranger = new Client(server.uri());
            stranger.cookie = "loomlite_session=" + "A".repeat(43); // not cached: looked up by a sessions reader
            assertThat(stranger.get("/api/session").statusCode()).isEqualTo(401);

            List<Opened> connections = new ArrayList<>();
            for (String database : DATABASES) {
                connections.addAll(opened.await(database, ROLES, Duration.ofSeconds(30)));
            }

            assertThat(connections).allSatisfy(c -> assertThat(c.synchronous()).as(c.toString()).isEqualTo(level.name()));
        }
    }

    /** A room id the default two shards place in {@code shard} (CRC32 of its UTF-8 bytes, as chat-queue does). */
    static String roomOfShard(int shard) {
        for (int i = 0; ; i++) {
            String room = "room-" + i;
            CRC32 crc = new CRC32();
            crc.update(room.getBytes(StandardCharsets.UTF_8));
            if (crc.getValue() % 2 == shard) {
                return room;
            }
        }
    }
}
