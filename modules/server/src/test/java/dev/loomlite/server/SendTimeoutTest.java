package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A send whose commit stalls (here: another process holds the chat files' write lock, as a stalled disk would hold
 * the writer) is answered within the server's send timeout, with an explicit "unknown, retry", not a hung request.
 */
class SendTimeoutTest {
    @TempDir
    Path data;

    @Test
    void a_send_not_committed_in_time_is_503_may_or_may_not_be_stored_and_its_retry_gets_the_one_stored_message()
            throws Exception {
        Tuning quick = Tuning.defaults().withSendTimeout(Duration.ofMillis(300));
        try (ServerImpl server = ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(data), quick)) {
            Client alice = Client.signedIn(server.uri(), "alice");
            HttpResponse<String> unconfirmed;
            try (WriteLocks locks = WriteLocks.take(data.resolve("chat-0.db"), data.resolve("chat-1.db"))) {
                unconfirmed = alice.sendMessage("stalled", "c-1", "hello");
            }

            assertThat(unconfirmed.statusCode()).isEqualTo(503);
            assertThat(unconfirmed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Client.json(unconfirmed).path("error").asText())
                    .contains("not confirmed within 300 ms", "may or may not be stored", "same clientId");
            HttpResponse<String> retry = alice.sendMessage("stalled", "c-1", "hello");
            assertThat(retry.statusCode()).isIn(200, 201);
            assertThat(Client.json(retry).path("seq").asLong()).isEqualTo(1);
            assertThat(Client.json(alice.get("/api/rooms/stalled/messages?after=0")).path("messages")).hasSize(1);
        }
    }

    /** Write locks held on SQLite files by this process's own connections ({@code BEGIN IMMEDIATE}) until closed. */
    private record WriteLocks(List<Connection> connections) implements AutoCloseable {
        static WriteLocks take(Path... files) throws Exception {
            List<Connection> held = new ArrayList<>();
            for (Path file : files) {
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                try (Statement s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
                held.add(c);
            }
            return new WriteLocks(held);
        }

        @Override
        public void close() throws Exception {
            for (Connection c : connections) {
                try (c; Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
        }
    }
}
