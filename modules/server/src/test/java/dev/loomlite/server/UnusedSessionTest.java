package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that nothing but its sign-in ever used ends after a short time (two hours here), not after the whole
 * idle time (a day here): sign-ins that are never used, a flood of them say, do not stay in the database for long.
 * On a clock the tests move; each test signs in its own users at the clock's current time.
 */
class UnusedSessionTest {
    static final Duration UNUSED = Duration.ofHours(2);
    static final Duration IDLE = Duration.ofDays(1);
    static final TestClock clock = new TestClock();
    @TempDir
    static Path data;
    static ServerImpl server;

    static ServerImpl start(Path dir) {
        ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dir)
                .withSessions(SessionPolicy.defaults().withLifetime(IDLE, Duration.ofDays(3)).withUnusedTimeout(UNUSED));
        return ServerImpl.start(config, Tuning.defaults().withClock(clock));
    }

    @BeforeAll
    static void startShared() {
        server = start(data);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void a_session_never_used_after_its_sign_in_ends_after_the_unused_timeout_naming_it() {
        Client alice = Client.signedIn(server.uri(), "alice");
        clock.advance(UNUSED);

        HttpResponse<String> response = alice.get("/api/session");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Client.json(response).path("error").asText()).contains("expired").contains("not used within 2 hours");
    }

    @Test
    void a_session_used_once_lives_on_past_the_unused_timeout() {
        Client bob = Client.signedIn(server.uri(), "bob");
        assertThat(bob.get("/api/rooms").statusCode()).isEqualTo(200);
        clock.advance(UNUSED.multipliedBy(5));

        assertThat(bob.get("/api/session").statusCode()).isEqualTo(200);
    }

    @Test
    void a_rename_is_not_a_use() {
        Client carol = Client.signedIn(server.uri(), "carol");
        clock.advance(UNUSED.dividedBy(2));
        assertThat(carol.signIn("caroline").statusCode()).isEqualTo(200);
        clock.advance(UNUSED.dividedBy(2));

        assertThat(carol.get("/api/session").statusCode()).isEqualTo(401);
    }

    /** A sign-out refused with 409 (the page named another user) does not count as a use of this session. */
    @Test
    void a_sign_out_refused_for_naming_another_user_is_not_a_use() {
        Client dave = Client.signedIn(server.uri(), "dave");
        clock.advance(UNUSED.dividedBy(2));
        assertThat(dave.delete("/api/session?userId=someone-else").statusCode()).isEqualTo(409);
        clock.advance(UNUSED.dividedBy(2));

        assertThat(dave.get("/api/session").statusCode()).isEqualTo(401);
    }

    /** The first use is written at once (not a minute later like renewals): it must survive a restart and the purge. */
    @Test
    void unused_sessions_are_deleted_at_startup_once_the_unused_timeout_passed_and_used_ones_stay(@TempDir Path own)
            throws Exception {
        Client used;
        try (ServerImpl first = start(own)) {
            Client.signedIn(first.uri(), "never used");
            used = Client.signedIn(first.uri(), "used");
            assertThat(used.get("/api/rooms").statusCode()).isEqualTo(200);
        }
        assertThat(SessionRows.count(own)).isEqualTo(2);
        clock.advance(UNUSED);

        try (ServerImpl second = start(own)) {
            assertThat(SessionRows.count(own)).isEqualTo(1);
            Client after = new Client(second.uri());
            after.cookie = used.cookie;
            assertThat(after.get("/api/session").statusCode()).isEqualTo(200);
        }
    }
}
