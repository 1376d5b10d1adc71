package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions end after a day without use, or three days after sign-in, on a clock the tests move. Every test signs in
 * its own user at the clock's current time, so moving the shared clock does not disturb the others.
 */
class SessionExpiryTest {
    static final Duration IDLE = Duration.ofDays(1);
    static final Duration MAX_AGE = Duration.ofDays(3);
    static final TestClock clock = new TestClock();
    @TempDir
    static Path data;
    static ServerImpl server;

    @BeforeAll
    static void start() {
        ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(data)
                .withSessions(SessionPolicy.defaults().withLifetime(IDLE, MAX_AGE));
        server = ServerImpl.start(config, Tuning.defaults().withClock(clock));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_session_unused_for_the_idle_timeout_is_401_naming_the_limit() {
        Client alice = Client.signedIn(server.uri(), "alice");
        clock.advance(IDLE);

        HttpResponse<String> response = alice.get("/api/session");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Client.json(response).path("error").asText()).contains("expired").contains("1 day without use");
    }

    @Test
    void each_use_renews_the_idle_timeout() {
        Client bob = Client.signedIn(server.uri(), "bob");
        for (int day = 0; day < 2; day++) {
            clock.advance(Duration.ofHours(20));
            assertThat(bob.get("/api/rooms").statusCode()).isEqualTo(200);
        }

        assertThat(bob.get("/api/session").statusCode()).as("40 hours after sign-in, 20 after the last use").isEqualTo(200);
    }

    @Test
    void a_session_ends_at_its_maximum_age_however_often_it_is_used() {
        Client carol = Client.signedIn(server.uri(), "carol");
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(14));
            assertThat(carol.get("/api/session").statusCode()).isEqualTo(200);
        }
        clock.advance(Duration.ofHours(2)); // 72 hours after sign-in

        HttpResponse<String> response = carol.get("/api/session");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Client.json(response).path("error").asText()).contains("expired").contains("at most 3 days");
    }

    /**
     * The 401 may answer a request that left before a renewal set a newer cookie: clearing the cookie would then
     * delete the new one. A dead cookie is harmless, and the next sign-in replaces it.
     */
    @Test
    void a_401_for_an_expired_session_leaves_the_cookie_alone_and_the_next_sign_in_replaces_it() {
        Client dave = Client.signedIn(server.uri(), "dave");
        String expired = dave.cookie;
        clock.advance(IDLE);

        HttpResponse<String> response = dave.get("/api/rooms");
        HttpResponse<String> again = dave.signIn("dave");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Client.sessionCookie(again)).hasValueSatisfying(c -> assertThat(c).isNotEqualTo(expired));
        assertThat(dave.get("/api/rooms").statusCode()).isEqualTo(200);
    }

    @Test
    void signing_in_with_an_expired_session_starts_a_new_user() {
        Client erin = Client.signedIn(server.uri(), "erin");
        String before = Client.json(erin.get("/api/session")).path("userId").asText();
        clock.advance(IDLE);

        HttpResponse<String> again = erin.signIn("erin");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Client.json(again).path("userId").asText()).isNotEqualTo(before);
        assertThat(erin.get("/api/session").statusCode()).isEqualTo(200);
    }

    @Test
    void an_expired_session_cannot_open_an_event_stream() {
        Client frank = Client.signedIn(server.uri(), "frank");
        clock.advance(IDLE);

        assertThat(EventSocketTest.refusal(frank, "general", "0", null)).isEqualTo(401);
    }

    /**
     * A session valid when the upgrade is checked but gone when the connection comes up (here it expires in between)
     * is not a sign-out: the close code must not say so (1008 makes the page forget the user), but 4401, which the
     * page treats like any 401.
     */
    @Test
    void a_session_that_expires_between_the_upgrade_and_the_connect_closes_the_stream_with_4401_not_1008() throws Exception {
        Client ivan = Client.signedIn(server.uri(), "ivan");
        Frames frames = new Frames(Long.MAX_VALUE);

        clock.advanceAfterNextRead(IDLE); // the upgrade's check reads the clock, the connect's look-up finds it expired
        ivan.events("general", "0", null, frames).get(10, TimeUnit.SECONDS);

        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4401 no valid session");
        assertThat(frames.received).isEmpty();
    }

    @Test
    void a_use_is_written_to_the_database_at_most_once_a_minute() throws Exception {
        Client grace = Client.signedIn(server.uri(), "grace");
        long signedIn = clock.millis();
        clock.advance(Duration.ofSeconds(30));
        grace.get("/api/session");
        grace.get("/api/rooms");
        assertThat(SessionRows.lastSeenAt(data, grace.cookie)).as("30 s after sign-in").hasValue(signedIn);

        clock.advance(Duration.ofSeconds(31));
        grace.get("/api/session");
        long renewed = clock.millis();
        clock.advance(Duration.ofSeconds(10));
        grace.get("/api/session");

        assertThat(SessionRows.lastSeenAt(data, grace.cookie)).as("61 s after sign-in, then 10 s more").hasValue(renewed);
    }

    @Test
    void the_cookie_lives_until_the_maximum_age() {
        Client heidi = new Client(server.uri());
        HttpResponse<String> signIn = heidi.signIn("heidi");
        clock.advance(Duration.ofDays(1).minusHours(1));
        HttpResponse<String> rename = heidi.signIn("heidi2");

        assertThat(signIn.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).contains("Max-Age=" + MAX_AGE.toSeconds() + ";"));
        assertThat(rename.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).contains("Max-Age=" + MAX_AGE.minusDays(1).plusHours(1).toSeconds() + ";"));
    }
}
