package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.ServerImpl;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients see between the start of a graceful stop and the end of the drain. */
class DrainingTest {
    @TempDir
    Path data;
    ServerImpl server;
    Client alice;

    @BeforeEach
    void startAndDrain() {
        server = ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(data));
        alice = Client.signedIn(server.uri(), "alice");
        alice.sendMessage("general", "before", "sent before the drain");
        server.drain();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void health_turns_503_while_draining() {
        HttpResponse<String> health = alice.get("/health");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).isEqualTo("{\"status\":\"draining\"}");
    }

    @Test
    void new_sends_get_503_with_retry_after() {
        HttpResponse<String> response = alice.sendMessage("general", "during", "sent while draining");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(Client.json(response).path("error").asText()).contains("shutting down");
    }

    @Test
    void replays_and_new_sessions_are_refused_too_but_reads_still_work() {
        assertThat(alice.sendMessage("general", "before", "sent before the drain").statusCode()).isEqualTo(503);
        assertThat(new Client(server.uri()).signIn("late").statusCode()).isEqualTo(503);
        assertThat(alice.get("/api/rooms/general/messages").statusCode()).isEqualTo(200);
    }

    @Test
    void new_event_streams_are_refused_with_503() {
        assertThat(EventSocketTest.refusal(alice, "general", "0", null)).isEqualTo(503);
    }
}
