package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import dev.loomlite.server.spi.InternalApi;
import dev.loomlite.server.spi.Relayed;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server as node n1 of a two-node cluster whose other node is {@link FakeCluster}: sends to its own rooms are stored
 * here, sends to the other node's rooms are forwarded and relayed, and its internal API answers other nodes.
 */
class ClusterNodeTest {
    static final String MINE = FakeCluster.roomIn(0);
    static final String THEIRS = FakeCluster.roomIn(1);

    @TempDir
    Path data;
    FakeCluster cluster;
    ServerImpl server;
    Client alice;
    URI internal;

    @BeforeEach
    void start() {
        cluster = new FakeCluster();
        server = ServerImpl.start(FakeCluster.node(data).withSendLimit(1, 2), Tuning.defaults(),
                () -> Optional.of(cluster));
        alice = Client.signedIn(server.uri(), "alice");
        internal = URI.create("http://127.0.0.1:" + server.internalPort().orElseThrow() + "/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void the_cluster_is_opened_with_the_nodes_settings() {
        assertThat(cluster.opened.nodeId()).isEqualTo("n1");
        assertThat(cluster.opened.shards()).isEqualTo(2);
        assertThat(cluster.opened.token()).isEqualTo(FakeCluster.TOKEN);
        assertThat(cluster.opened.toString()).doesNotContain(FakeCluster.TOKEN);
    }

    @Test
    void a_send_to_another_nodes_room_is_forwarded_as_the_sessions_user_and_its_answer_relayed_byte_for_byte() {
        byte[] ownerBody = "{\"messageId\":65,\"roomId\":\"x\",\"seq\":9,\"epoch\":1}".getBytes(StandardCharsets.UTF_8);
        cluster.answers = send -> new Relayed(201, ownerBody, 0, Relayed.Outcome.ANSWERED);

        HttpResponse<String> response = alice.sendMessage(THEIRS, "c-1", "hello there");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo(new String(ownerBody, StandardCharsets.UTF_8));
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(cluster.forwarded).singleElement().satisfies(send -> {
            assertThat(send.authorName()).isEqualTo("alice");
            assertThat(send.authorId()).isEqualTo(Client.json(alice.get("/api/session")).path("userId").asText());
            assertThat(send.clientId()).isEqualTo("c-1");
            assertThat(send.content()).isEqualTo("hello there");
        });
    }

    @Test
    void an_owners_429_is_relayed_with_its_retry_after() {
        cluster.answers = send -> new Relayed(429, "{\"error\":\"too many messages: slow down\"}".getBytes(StandardCharsets.UTF_8),
                3, Relayed.Outcome.ANSWERED);

        HttpResponse<String> response = alice.sendMessage(THEIRS, "c-1", "hello");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    }

    @Test
    void an_owner_that_stored_nothing_gives_503_not_stored_and_one_that_may_have_gives_503_unknown() {
        cluster.answers = send -> Relayed.notStored();
        HttpResponse<String> notStored = alice.sendMessage(THEIRS, "c-1", "hello");
        cluster.answers = send -> Relayed.unknown();
        HttpResponse<String> unknown = alice.sendMessage(THEIRS, "c-1", "hello");

        assertThat(notStored.statusCode()).isEqualTo(503);
        assertThat(notStored.headers().firstValue(InternalApi.OUTCOME)).hasValue(InternalApi.NOT_STORED);
        assertThat(notStored.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Client.json(notStored).path("error").asText()).contains("nothing was stored");
        assertThat(unknown.statusCode()).isEqualTo(503);
        assertThat(unknown.headers().firstValue(InternalApi.OUTCOME)).hasValue(InternalApi.UNKNOWN);
        assertThat(Client.json(unknown).path("error").asText()).contains("may or may not be stored", "same clientId");
    }

    @Test
    void a_gateway_does_not_rate_limit_sends_it_forwards_the_owner_does() {
        cluster.answers = send -> new Relayed(201, "{}".getBytes(StandardCharsets.UTF_8), 0, Relayed.Outcome.ANSWERED);

        for (int i = 1; i <= 3; i++) {
            assertThat(alice.sendMessage(THEIRS, "c-" + i, "message " + i).statusCode()).isEqualTo(201);
        }
        assertThat(cluster.forwarded).hasSize(3);
    }

    @Test
    void junk_is_refused_at_the_gateway_and_never_forwarded() {
        HttpResponse<String> response = alice.sendMessage(THEIRS, "not a valid id!", "hello");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(cluster.forwarded).isEmpty();
    }

    @Test
    void a_send_to_this_nodes_room_is_stored_here() {
        HttpResponse<String> response = alice.sendMessage(MINE, "c-1", "at home");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Client.json(response).path("seq").asLong()).isEqualTo(1);
        assertThat(cluster.forwarded).isEmpty();
    }

    @Test
    void history_of_another_nodes_room_whose_owner_is_down_is_503_and_the_room_list_leaves_it_out() {
        cluster.ownerDown = true;

        HttpResponse<String> history = alice.get("/api/rooms/" + THEIRS + "/messages");

        assertThat(history.statusCode()).isEqualTo(503);
        assertThat(history.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Client.json(history).path("error").asText()).contains("room's server is unavailable");
        assertThat(alice.get("/api/rooms").body()).doesNotContain(THEIRS);
    }

    @Test
    void the_room_list_holds_other_nodes_rooms() {
        assertThat(Client.json(alice.get("/api/rooms")).findValuesAsText("roomId")).contains(THEIRS, "general");
    }

    @Test
    void an_internal_request_without_the_cluster_token_is_401_and_without_a_map_version_400() {
        HttpResponse<String> noToken = internal(InternalApi.ROOMS_ROUTE, null, "1", null);
        HttpResponse<String> wrongToken = internal(InternalApi.ROOMS_ROUTE, "Bearer " + FakeCluster.TOKEN + "x", "1", null);
        HttpResponse<String> noVersion = internal(InternalApi.ROOMS_ROUTE, bearer(), null, null);

        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(Client.json(noVersion).path("error").asText()).contains(InternalApi.MAP_VERSION);
    }

    @Test
    void a_forwarded_send_on_the_internal_route_answers_as_the_public_send_201_then_200_with_the_same_body() {
        String body = "{\"authorId\":\"u-9\",\"authorName\":\"Bob\",\"clientId\":\"k-1\",\"content\":\"via n2\"}";

        HttpResponse<String> first = internal(InternalApi.messages(0, MINE), bearer(), "1", body);
        HttpResponse<String> again = internal(InternalApi.messages(0, MINE), bearer(), "1", body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        JsonNode stored = Client.json(alice.get("/api/rooms/" + MINE + "/messages")).path("messages").get(0);
        assertThat(stored.path("authorId").asText()).isEqualTo("u-9");
        assertThat(stored.path("author").asText()).isEqualTo("Bob");
    }

    @Test
    void the_owner_rate_limits_forwarded_sends_by_their_author() {
        for (int i = 1; i <= 2; i++) {
            String send = "{\"authorId\":\"u-9\",\"authorName\":\"Bob\",\"clientId\":\"k-" + i + "\",\"content\":\"x\"}";
            assertThat(internal(InternalApi.messages(0, MINE), bearer(), "1", send).statusCode()).isEqualTo(201);
        }
        String third = "{\"authorId\":\"u-9\",\"authorName\":\"Bob\",\"clientId\":\"k-3\",\"content\":\"x\"}";
        HttpResponse<String> limited = internal(InternalApi.messages(0, MINE), bearer(), "1", third);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void a_request_for_a_shard_this_node_does_not_own_is_421_naming_the_owner_and_stores_nothing() {
        String body = "{\"authorId\":\"u-9\",\"authorName\":\"Bob\",\"clientId\":\"k-1\",\"content\":\"misdirected\"}";

        HttpResponse<String> response = internal(InternalApi.messages(1, THEIRS), bearer(), "1", body);
        HttpResponse<String> wrongShard = internal(InternalApi.messages(1, MINE), bearer(), "1", body);

        assertThat(response.statusCode()).isEqualTo(421);
        assertThat(Client.json(response).path("error").asText()).contains("shard 1 is owned by n2", "map version 1");
        assertThat(Client.json(response).path("mapVersion").asLong()).isEqualTo(1);
        assertThat(wrongShard.statusCode()).isEqualTo(421);
        assertThat(Client.json(alice.get("/api/rooms/" + MINE + "/messages")).path("messages")).isEmpty();
    }

    @Test
    void the_internal_positions_route_answers_each_rooms_end_in_the_order_asked() {
        String empty = FakeCluster.roomIn(0, 1);
        alice.sendMessage(MINE, "c-1", "one");
        String body = "{\"rooms\":[{\"shard\":0,\"roomId\":\"" + MINE + "\",\"epoch\":1},{\"shard\":0,\"roomId\":\""
                + empty + "\",\"epoch\":1}]}";

        HttpResponse<String> response = internal(InternalApi.POSITIONS_ROUTE, bearer(), "1", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"positions\":[{\"roomId\":\"" + MINE
                + "\",\"epoch\":1,\"lastSeq\":1,\"validThrough\":1},{\"roomId\":\"" + empty
                + "\",\"epoch\":1,\"lastSeq\":0,\"validThrough\":0}]}");
    }

    @Test
    void positions_of_a_shard_this_node_does_not_own_are_421() {
        String body = "{\"rooms\":[{\"shard\":1,\"roomId\":\"" + THEIRS + "\",\"epoch\":1}]}";

        HttpResponse<String> response = internal(InternalApi.POSITIONS_ROUTE, bearer(), "1", body);

        assertThat(response.statusCode()).isEqualTo(421);
        assertThat(Client.json(response).path("error").asText()).contains("shard 1 is owned by n2");
    }

    @Test
    void the_internal_rooms_route_lists_this_nodes_rooms_only() {
        alice.sendMessage(MINE, "c-1", "one");

        HttpResponse<String> response = internal(InternalApi.ROOMS_ROUTE, bearer(), "1", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[{\"roomId\":\"" + MINE + "\",\"lastSeq\":1}]");
    }

    @Test
    void the_internal_server_serves_no_public_route_and_the_public_server_no_internal_one() {
        assertThat(internal("/health", bearer(), "1", null).statusCode()).isEqualTo(404);
        assertThat(internal("/", bearer(), "1", null).statusCode()).isEqualTo(404);
        assertThat(internal("/api/rooms", bearer(), "1", null).statusCode()).isEqualTo(404);
        assertThat(alice.get(InternalApi.ROOMS_ROUTE).statusCode()).isEqualTo(404);
    }

    @Test
    void a_cluster_node_without_the_cluster_module_fails_to_start_naming_it(@TempDir Path elsewhere) {
        assertThatThrownBy(() -> ServerImpl.start(FakeCluster.node(elsewhere), Tuning.defaults(), Optional::empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--cluster-map needs modules/cluster", "dev.loomlite.cluster");
    }

    private static String bearer() {
        return "Bearer " + FakeCluster.TOKEN;
    }

    private HttpResponse<String> internal(String path, String authorization, String mapVersion, String body) {
        Client raw = new Client(internal);
        HttpRequest.Builder request = raw.request(path);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (mapVersion != null) {
            request.header(InternalApi.MAP_VERSION, mapVersion);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return raw.send(request);
    }
}
