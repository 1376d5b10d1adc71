package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryApiTest {
    static final String ROOM = "history";
    @TempDir
    static Path data;
    static ChatServer server;
    static Client alice;

    @BeforeAll
    static void start() {
        server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSendLimit(10_000, 10_000));
        alice = Client.signedIn(server.uri(), "alice");
        for (int i = 1; i <= 30; i++) {
            assertThat(alice.sendMessage(ROOM, "h-" + i, "message " + i).statusCode()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void after_pages_ascend_from_the_cursor() {
        JsonNode page = Client.json(alice.get("/api/rooms/" + ROOM + "/messages?after=10&limit=5"));

        assertThat(seqs(page)).containsExactly(11L, 12L, 13L, 14L, 15L);
        assertThat(page.path("hasMore").asBoolean()).isTrue();
    }

    @Test
    void the_last_after_page_has_no_more() {
        JsonNode page = Client.json(alice.get("/api/rooms/" + ROOM + "/messages?after=25&limit=100"));

        assertThat(seqs(page)).containsExactly(26L, 27L, 28L, 29L, 30L);
        assertThat(page.path("hasMore").asBoolean()).isFalse();
    }

    @Test
    void before_answers_the_newest_page_below_the_cursor_ascending() {
        JsonNode page = Client.json(alice.get("/api/rooms/" + ROOM + "/messages?before=10&limit=3"));

        assertThat(seqs(page)).containsExactly(7L, 8L, 9L);
        assertThat(page.path("hasMore").asBoolean()).isTrue();
    }

    @Test
    void without_a_cursor_the_newest_page_comes_back_ascending() {
        JsonNode page = Client.json(alice.get("/api/rooms/" + ROOM + "/messages?limit=4"));

        assertThat(seqs(page)).containsExactly(27L, 28L, 29L, 30L);
    }

    @Test
    void the_default_limit_is_100() {
        for (int i = 31; i <= 120; i++) {
            alice.sendMessage("big-history", "b-" + i, "m" + i);
        }
        for (int i = 1; i <= 30; i++) {
            alice.sendMessage("big-history", "a-" + i, "m" + i);
        }
        JsonNode page = Client.json(alice.get("/api/rooms/big-history/messages?after=0"));

        assertThat(page.path("messages")).hasSize(100);
        assertThat(page.path("hasMore").asBoolean()).isTrue();
    }

    @Test
    void an_unknown_room_has_an_empty_history() {
        JsonNode page = Client.json(alice.get("/api/rooms/nobody-here/messages"));

        assertThat(page.path("messages")).isEmpty();
        assertThat(page.path("hasMore").asBoolean()).isFalse();
    }

    @Test
    void a_limit_out_of_range_is_400_naming_it() {
        for (String limit : new String[] {"0", "501", "-1", "ten", "1.5"}) {
            HttpResponse<String> response = alice.get("/api/rooms/" + ROOM + "/messages?limit=" + limit);
            assertThat(response.statusCode()).as(limit).isEqualTo(400);
            assertThat(Client.json(response).path("field").asText()).isEqualTo("limit");
            assertThat(Client.json(response).path("error").asText()).contains("500");
        }
    }

    @Test
    void a_bad_cursor_is_400_naming_it() {
        HttpResponse<String> after = alice.get("/api/rooms/" + ROOM + "/messages?after=-3");
        HttpResponse<String> before = alice.get("/api/rooms/" + ROOM + "/messages?before=x");
        HttpResponse<String> both = alice.get("/api/rooms/" + ROOM + "/messages?after=1&before=5");

        assertThat(after.statusCode()).isEqualTo(400);
        assertThat(Client.json(after).path("field").asText()).isEqualTo("after");
        assertThat(Client.json(before).path("field").asText()).isEqualTo("before");
        assertThat(both.statusCode()).isEqualTo(400);
    }

    @Test
    void history_needs_a_session() {
        assertThat(new Client(server.uri()).get("/api/rooms/" + ROOM + "/messages").statusCode()).isEqualTo(401);
    }

    @Test
    void rooms_lists_every_room_with_its_last_seq_and_always_general() {
        JsonNode rooms = Client.json(alice.get("/api/rooms"));

        List<String> ids = new ArrayList<>();
        rooms.forEach(room -> ids.add(room.path("roomId").asText()));
        assertThat(ids).contains("general", ROOM).isSorted();
        rooms.forEach(room -> {
            if (room.path("roomId").asText().equals(ROOM)) {
                assertThat(room.path("lastSeq").asLong()).isEqualTo(30);
            }
        });
    }

    @Test
    void rooms_needs_a_session() {
        assertThat(new Client(server.uri()).get("/api/rooms").statusCode()).isEqualTo(401);
    }

    static List<Long> seqs(JsonNode page) {
        List<Long> seqs = new ArrayList<>();
        page.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }
}
