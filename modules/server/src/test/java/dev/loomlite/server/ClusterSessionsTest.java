package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import dev.loomlite.server.spi.HomeAnswer;
import dev.loomlite.server.spi.InternalApi;
import dev.loomlite.server.spi.SessionEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions of a cluster node (n1 of {@link FakeCluster}): a session lives at its home (n1 itself, or the fake n2), is
 * the same user everywhere, is cached for a short while, and is never answered 401 because its home is down.
 */
@Timeout(60)
class ClusterSessionsTest {
    static final Duration TTL = Duration.ofMillis(300);

    @TempDir
    Path data;
    FakeCluster cluster;
    ServerImpl server;
    URI internal;

    @BeforeEach
    void start() {
        cluster = new FakeCluster();
        ServerConfig config = FakeCluster.node(data);
        server = ServerImpl.start(config.withCluster(config.cluster().withSessionCacheTtl(TTL)), Tuning.defaults(),
                () -> Optional.of(cluster));
        internal = URI.create("http://127.0.0.1:" + server.internalPort().orElseThrow() + "/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Signs in until the session's home is n1 ({@code local}) or n2. */
    private Client signedInHomed(boolean local, String name) {
        for (int i = 0; i < 200; i++) {
            Client client = Client.signedIn(server.uri(), name);
            if (cluster.homes.isLocal(hash(client)) == local) {
                return client;
            }
        }
        throw new AssertionError("no session homed " + (local ? "here" : "on n2") + " in 200 sign-ins");
    }

    private static String hash(Client client) {
        return SessionRows.tokenHash(client.cookie);
    }

    @Test
    void a_sign_in_stores_the_session_at_its_home_and_the_cookie_is_the_same_user_there() {
        Client remote = signedInHomed(false, "alice");

        assertThat(cluster.homes.sessions.get(hash(remote))).isInstanceOfSatisfying(HomeAnswer.Active.class,
                a -> assertThat(a.name()).isEqualTo("alice"));
        JsonNode me = Client.json(remote.get("/api/session"));
        assertThat(me.path("name").asText()).isEqualTo("alice");
        assertThat(me.path("userId").asText())
                .isEqualTo(((HomeAnswer.Active) cluster.homes.sessions.get(hash(remote))).userId());
    }

    @Test
    void a_remote_session_is_asked_of_its_home_at_most_once_per_cache_lifetime() {
        Client remote = signedInHomed(false, "alice");
        int before = cluster.homes.lookups.get();

        for (int i = 0; i < 5; i++) {
            assertThat(remote.get("/api/session").statusCode()).isEqualTo(200);
        }

        assertThat(cluster.homes.lookups.get() - before).isLessThanOrEqualTo(1);
    }

    @Test
    void a_cached_session_is_served_while_its_home_is_down_and_an_uncached_one_is_503_never_401() {
        Client cached = signedInHomed(false, "alice");
        assertThat(cached.get("/api/session").statusCode()).isEqualTo(200);
        cluster.homes.down = true;
        Client uncached = new Client(server.uri());
        String token = "loomlite_session=" + remoteToken();
        uncached.cookie = token;

        HttpResponse<String> stale = cached.get("/api/session");
        HttpResponse<String> unavailable = uncached.get("/api/session");

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(Client.json(unavailable).path("error").asText()).contains("session's server is unavailable");
    }

    /** A well-formed token (43 URL-safe base64 characters) whose hash is homed on n2 and that n2 never issued. */
    private String remoteToken() {
        for (int i = 0; ; i++) {
            String token = String.format("%043d", i);
            if (!cluster.homes.isLocal(SessionRows.tokenHash("loomlite_session=" + token))) {
                return token;
            }
        }
    }

    @Test
    void a_sign_in_whose_home_is_down_still_succeeds_with_a_session_homed_reachably() {
        cluster.homes.down = true;

        for (int i = 0; i < 10; i++) {
            Client client = Client.signedIn(server.uri(), "carol");
            assertThat(client.get("/api/session").statusCode()).isEqualTo(200);
            assertThat(cluster.homes.isLocal(hash(client))).isTrue();
        }
    }

    @Test
    void a_rename_of_a_remote_session_keeps_its_user_and_the_cookies_lifetime() {
        Client remote = signedInHomed(false, "alice");
        String userId = Client.json(remote.get("/api/session")).path("userId").asText();

        HttpResponse<String> renamed = remote.post("/api/session", Client.json("name", "alicia"));

        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(Client.json(renamed).path("userId").asText()).isEqualTo(userId);
        String cookie = renamed.headers().firstValue("Set-Cookie").orElseThrow();
        long maxAge = Long.parseLong(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertThat(maxAge).isGreaterThan(Duration.ofDays(1).toSeconds());
        assertThat(Client.json(remote.get("/api/session")).path("name").asText()).isEqualTo("alicia");
    }

    @Test
    void a_sign_out_of_a_remote_session_goes_to_its_home_and_the_cookie_is_refused_after() {
        Client remote = signedInHomed(false, "alice");

        assertThat(remote.delete("/api/session").statusCode()).isEqualTo(204);

        assertThat(cluster.homes.sessions.get(hash(remote))).isInstanceOf(HomeAnswer.Revoked.class);
        Client again = new Client(server.uri());
        again.cookie = remote.cookie;
        assertThat(again.get("/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void a_sign_out_of_a_session_homed_here_is_broadcast() {
        Client local = signedInHomed(true, "bob");
        String userId = Client.json(local.get("/api/session")).path("userId").asText();

        assertThat(local.delete("/api/session").statusCode()).isEqualTo(204);

        assertThat(cluster.homes.published).contains(new SessionEvent(SessionEvent.Kind.REVOKED, hash(local), userId, "n1"));
    }

    @Test
    void a_broadcast_sign_out_ends_the_users_streams_with_1008_and_the_cookie_is_refused() throws Exception {
        Client remote = signedInHomed(false, "alice");
        String userId = Client.json(remote.get("/api/session")).path("userId").asText();
        Frames frames = remote.subscribe("general", 0);

        cluster.sessionEvents.accept(new SessionEvent(SessionEvent.Kind.REVOKED, hash(remote), userId, "n2"));

        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).startsWith("1008");
        assertThat(remote.get("/api/session").statusCode()).isEqualTo(401);
    }

    @Test
    void a_sign_out_whose_broadcast_was_lost_ends_the_stream_within_the_cache_lifetime() throws Exception {
        Client remote = signedInHomed(false, "alice");
        Frames frames = remote.subscribe("general", 0);

        cluster.homes.sessions.put(hash(remote), new HomeAnswer.Revoked()); // signed out at n2, the broadcast lost

        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).startsWith("1008");
    }

    @Test
    void the_home_answers_lookups_of_its_sessions_and_not_home_for_others() {
        Client local = signedInHomed(true, "bob");
        String unknownHere = SessionRows.tokenHash("loomlite_session=" + remoteToken());
        String body = "{\"tokenHashes\":[\"" + hash(local) + "\",\"" + unknownHere + "\"],\"use\":false}";

        HttpResponse<String> response = internal(InternalApi.SESSION_LOOKUP_ROUTE, body, "POST");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sessions = Client.json(response).path("sessions");
        assertThat(sessions.path(hash(local)).path("state").asText()).isEqualTo("active");
        assertThat(sessions.path(hash(local)).path("name").asText()).isEqualTo("bob");
        assertThat(sessions.path(unknownHere).path("state").asText()).isEqualTo("not-home");
    }

    @Test
    void the_home_signs_a_session_out_for_another_node_only_with_its_users_id() {
        Client local = signedInHomed(true, "bob");
        String userId = Client.json(local.get("/api/session")).path("userId").asText();

        HttpResponse<String> wrongUser = internal(InternalApi.session(hash(local)) + "?userId=someone-else", null, "DELETE");
        HttpResponse<String> right = internal(InternalApi.session(hash(local)) + "?userId=" + userId, null, "DELETE");

        assertThat(wrongUser.statusCode()).isEqualTo(409);
        assertThat(right.statusCode()).isEqualTo(204);
        assertThat(local.get("/api/session").statusCode()).isEqualTo(401);
        assertThat(cluster.homes.published).extracting(SessionEvent::kind).contains(SessionEvent.Kind.REVOKED);
    }

    @Test
    void a_session_homed_elsewhere_is_421_on_the_internal_routes() {
        String elsewhere = SessionRows.tokenHash("loomlite_session=" + remoteToken());

        HttpResponse<String> response = internal(InternalApi.SESSIONS_ROUTE,
                "{\"tokenHash\":\"" + elsewhere + "\",\"userId\":\"u\",\"name\":\"x\"}", "POST");

        assertThat(response.statusCode()).isEqualTo(421);
    }

    private HttpResponse<String> internal(String path, String body, String method) {
        Client raw = new Client(internal);
        HttpRequest.Builder request = raw.request(path).header("Authorization", "Bearer " + FakeCluster.TOKEN)
                .header(InternalApi.MAP_VERSION, "1");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return raw.send(request);
    }
}
