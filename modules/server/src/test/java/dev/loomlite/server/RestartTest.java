package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
    @TempDir
    Path data;

    ChatServer start() {
        return ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data));
    }

    @Test
    void sessions_history_and_replays_survive_a_restart() {
        Client before;
        String userId;
        String firstAnswer;
        try (ChatServer first = start()) {
            before = Client.signedIn(first.uri(), "alice");
            userId = Client.json(before.get("/api/session")).path("userId").asText();
            firstAnswer = before.sendMessage("durable", "keep-1", "written before the restart").body();
            before.sendMessage("durable", "keep-2", "and another");
        }

        try (ChatServer second = start()) {
            Client after = new Client(second.uri());
            after.cookie = before.cookie;

            HttpResponse<String> session = after.get("/api/session");
            assertThat(session.statusCode()).isEqualTo(200);
            assertThat(Client.json(session).path("userId").asText()).isEqualTo(userId);

            HttpResponse<String> replay = after.sendMessage("durable", "keep-1", "written before the restart");
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(replay.body()).isEqualTo(firstAnswer);

            assertThat(HistoryApiTest.seqs(Client.json(after.get("/api/rooms/durable/messages")))).containsExactly(1L, 2L);
            HttpResponse<String> next = after.sendMessage("durable", "keep-3", "after the restart");
            assertThat(next.statusCode()).isEqualTo(201);
            assertThat(Client.json(next).path("seq").asLong()).isEqualTo(3);
        }
    }
}
