package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessageApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    static Client alice;

    @BeforeAll
    static void start() {
        alice = Client.signedIn(server.uri(), "alice");
    }


    @Test
    void a_new_message_is_201_with_the_stored_message() {
        HttpResponse<String> response = alice.sendMessage("new-room", "c-1", "hello");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode m = Client.json(response);
        assertThat(fieldNames(m)).containsExactly(
                "messageId", "roomId", "seq", "clientId", "author", "authorId", "content", "replyToId", "createdAt", "epoch");
        assertThat(m.path("roomId").asText()).isEqualTo("new-room");
        assertThat(m.path("seq").asLong()).isEqualTo(1);
        assertThat(m.path("clientId").asText()).isEqualTo("c-1");
        assertThat(m.path("author").asText()).isEqualTo("alice");
        assertThat(m.path("content").asText()).isEqualTo("hello");
        assertThat(m.path("replyToId").isNull()).isTrue();
        assertThat(m.path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(m.path("epoch").asLong()).isEqualTo(1);
    }

    @Test
    void the_same_client_id_again_is_200_with_the_identical_body_and_no_new_message() {
        HttpResponse<String> first = alice.sendMessage("replays", "once", "only once");
        HttpResponse<String> again = alice.sendMessage("replays", "once", "only once");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(Client.json(alice.get("/api/rooms/replays/messages")).path("messages")).hasSize(1);
    }

    @Test
    void the_same_client_id_from_another_user_is_another_message() {
        Client bob = Client.signedIn(server.uri(), "bob");
        alice.sendMessage("shared-ids", "same", "from alice");

        HttpResponse<String> response = bob.sendMessage("shared-ids", "same", "from bob");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Client.json(response).path("seq").asLong()).isEqualTo(2);
    }

    @Test
    void a_client_id_reused_with_different_content_is_409() {
        alice.sendMessage("conflicts", "reused", "first text");

        HttpResponse<String> response = alice.sendMessage("conflicts", "reused", "other text");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(Client.json(response).path("error").asText()).contains("clientId").doesNotContain("reused");
    }

    @Test
    void the_author_comes_from_the_session_never_from_the_body() {
        HttpResponse<String> response = alice.post("/api/rooms/general/messages",
                Client.json("clientId", "spoof", "content", "hi", "author", "mallory", "authorId", "u-mallory"));

        JsonNode m = Client.json(response);
        assertThat(m.path("author").asText()).isEqualTo("alice");
        assertThat(m.path("authorId").asText()).isEqualTo(Client.json(alice.get("/api/session")).path("userId").asText());
    }

    @Test
    void a_reply_carries_the_id_it_answers() {
        long original = Client.json(alice.sendMessage("replies", "q", "question?")).path("messageId").asLong();

        HttpResponse<String> reply = alice.post("/api/rooms/replies/messages",
                Client.json("clientId", "a", "content", "answer", "replyToId", original));

        assertThat(reply.statusCode()).isEqualTo(201);
        assertThat(Client.json(reply).path("replyToId").asLong()).isEqualTo(original);
    }

    @Test
    void an_invalid_client_id_is_400_naming_the_field() {
        for (String clientId : new String[] {"", "has space", "x".repeat(65), "<script>"}) {
            HttpResponse<String> response = alice.sendMessage("general", clientId, "hi");
            assertThat(response.statusCode()).as(clientId).isEqualTo(400);
            assertThat(Client.json(response).path("field").asText()).as(clientId).isEqualTo("clientId");
            assertThat(response.body()).doesNotContain("<script>");
        }
    }

    @Test
    void missing_fields_are_400_naming_them() {
        assertThat(Client.json(alice.post("/api/rooms/general/messages", "{\"content\":\"hi\"}")).path("field").asText()).isEqualTo("clientId");
        assertThat(Client.json(alice.post("/api/rooms/general/messages", "{\"clientId\":\"x1\"}")).path("field").asText()).isEqualTo("content");
    }

    @Test
    void content_over_the_limit_or_blank_is_400_naming_the_field() {
        HttpResponse<String> tooLong = alice.sendMessage("general", "long-1", "x".repeat(4001));
        HttpResponse<String> blank = alice.sendMessage("general", "blank-1", "   ");

        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(Client.json(tooLong).path("field").asText()).isEqualTo("content");
        assertThat(Client.json(tooLong).path("error").asText()).contains("4000");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(Client.json(blank).path("field").asText()).isEqualTo("content");
    }

    @Test
    void a_field_of_the_wrong_type_is_400_naming_it() {
        HttpResponse<String> response = alice.post("/api/rooms/general/messages", "{\"clientId\":\"t1\",\"content\":\"x\",\"replyToId\":\"seven\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Client.json(response).path("field").asText()).isEqualTo("replyToId");
    }

    @Test
    void an_invalid_room_id_is_400_naming_the_field() {
        for (String room : new String[] {"Upper", "-dash-first", "a".repeat(65), "under_score"}) {
            HttpResponse<String> response = alice.sendMessage(room, "r-" + room.length(), "hi");
            assertThat(response.statusCode()).as(room).isEqualTo(400);
            assertThat(Client.json(response).path("field").asText()).as(room).isEqualTo("roomId");
        }
    }

    @Test
    void sending_without_a_session_is_401() {
        HttpResponse<String> response = new Client(server.uri()).sendMessage("general", "anon", "hi");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Client.json(response).path("error").asText()).isNotBlank();
    }

    @Test
    void a_body_over_64_kib_is_413() {
        HttpResponse<String> response = alice.post("/api/rooms/general/messages",
                Client.json("clientId", "big", "content", "x".repeat(64 * 1024)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Client.json(response).path("error").asText()).contains("65536");
    }

    @Test
    void a_chunked_body_over_64_kib_is_413() {
        byte[] big = Client.json("clientId", "big2", "content", "y".repeat(70 * 1024)).getBytes();
        HttpResponse<String> response = alice.send(alice.request("/api/rooms/general/messages")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void a_body_that_is_not_json_is_415() {
        HttpResponse<String> plain = alice.send(alice.request("/api/rooms/general/messages")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")));
        HttpResponse<String> none = alice.send(alice.request("/api/rooms/general/messages")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(Client.json(plain).path("error").asText()).isNotBlank();
    }

    @Test
    void malformed_json_is_400() {
        for (String body : new String[] {"{", "[1,2]", "\"text\"", "null", "{\"clientId\":\"a\",\"content\":\"b\"} trailing", ""}) {
            HttpResponse<String> response = alice.post("/api/rooms/general/messages", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).startsWith("{\"error\"");
        }
    }

    @Test
    void json_with_a_charset_parameter_is_accepted() {
        HttpResponse<String> response = alice.send(alice.request("/api/rooms/general/messages")
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(Client.json("clientId", "cs-1", "content", "héllo"))));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Client.json(response).path("content").asText()).isEqualTo("héllo");
    }

    @Test
    void wrong_method_on_an_api_route_is_405() {
        HttpResponse<String> response = alice.send(alice.request("/api/rooms/general/messages").DELETE());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(Client.json(response).path("error").asText()).isNotBlank();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
