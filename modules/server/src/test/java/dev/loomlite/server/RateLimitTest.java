package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitTest {
    static final int BURST = 5;
    @TempDir
    static Path data;
    static ChatServer server;

    @BeforeAll
    static void start() {
        // One message a second after a burst of five: the sixth send of a quick client is refused.
        server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSendLimit(1, BURST));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sends_beyond_the_burst_are_429_with_retry_after() {
        Client alice = Client.signedIn(server.uri(), "alice");
        for (int i = 0; i < BURST; i++) {
            assertThat(alice.sendMessage("general", "burst-" + i, "m" + i).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> limited = alice.sendMessage("general", "burst-x", "one too many");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
        assertThat(Client.json(limited).path("error").asText()).isNotBlank();
        assertThat(Client.json(alice.get("/api/rooms/general/messages")).path("messages").toString()).doesNotContain("burst-x");
    }

    @Test
    void the_limit_is_per_session() {
        Client carol = Client.signedIn(server.uri(), "carol");
        Client dave = Client.signedIn(server.uri(), "dave");
        for (int i = 0; i <= BURST; i++) {
            carol.sendMessage("per-session", "c-" + i, "m" + i);
        }

        assertThat(dave.sendMessage("per-session", "d-1", "still fine").statusCode()).isEqualTo(201);
    }
}
