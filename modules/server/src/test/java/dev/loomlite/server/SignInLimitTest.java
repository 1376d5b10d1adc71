package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import dev.loomlite.sqlite.Synchronous;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-ins are limited per client address. Each test signs in from loopback addresses of its own (127.0.0.N: the
 * server bound to 127.0.0.1 sees each as a different client), so the tests share one server without sharing buckets.
 */
class SignInLimitTest {
    static final int BURST = 3;
    @TempDir
    static Path data;
    static ChatServer server;

    @BeforeAll
    static void start() {
        // One sign-in a minute after a burst of three: the fourth quick one is refused for a minute.
        server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSignInLimit(1, BURST));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Signs in {@link #BURST} times from {@code address}, checking each is accepted. */
    static void useTheBurst(String address) {
        for (int i = 0; i < BURST; i++) {
            assertThat(Client.from(server.uri(), address).signIn("user" + i).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sign_ins_beyond_the_burst_are_429_with_retry_after_and_the_limit_named() {
        useTheBurst("127.0.0.2");

        HttpResponse<String> refused = Client.from(server.uri(), "127.0.0.2").signIn("one-too-many");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(Client.json(refused).path("error").asText()).contains("sign-ins").contains("1 a minute").contains("burst of 3");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void the_limit_counts_each_client_address_apart() {
        useTheBurst("127.0.0.3");

        assertThat(Client.from(server.uri(), "127.0.0.4").signIn("neighbour").statusCode()).isEqualTo(200);
    }

    @Test
    void the_limit_applies_before_the_body_is_read() {
        Client flooder = Client.from(server.uri(), "127.0.0.5");
        for (int i = 0; i < BURST; i++) {
            assertThat(flooder.post("/api/session", "{not json").statusCode()).isEqualTo(400);
        }

        assertThat(flooder.signIn("valid at last").statusCode()).isEqualTo(429);
    }

    @Test
    void a_refused_sign_in_leaves_the_session_already_held_working() {
        Client ivan = Client.from(server.uri(), "127.0.0.6");
        assertThat(ivan.signIn("ivan").statusCode()).isEqualTo(200);
        for (int i = 1; i < BURST; i++) {
            Client.from(server.uri(), "127.0.0.6").signIn("neighbour" + i);
        }

        assertThat(ivan.signIn("ivan the renamed").statusCode()).isEqualTo(429);
        assertThat(Client.json(ivan.get("/api/session")).path("name").asText()).isEqualTo("ivan");
    }

    @Test
    void refused_sign_ins_are_counted_in_the_metrics() {
        useTheBurst("127.0.0.7");
        Client.from(server.uri(), "127.0.0.7").signIn("refused");

        assertThat(MetricsTest.sample(new Client(server.uri()), "loomlite_http_sign_ins_rate_limited_total")).isGreaterThanOrEqualTo(1);
    }

    /**
     * An office behind one NAT address (or one proxy not listed in {@code --trusted-proxies}): under the default
     * limits its 200 people all sign in at 9:00.
     */
    @Test
    void under_the_defaults_200_sign_ins_from_one_address_at_once_all_succeed(@TempDir Path own) {
        TestClock clock = new TestClock();
        // NORMAL: durability is not what this test is about, and 200 fsyncs are slow on a shared disk.
        try (ServerImpl office = ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(own)
                .withSynchronous(Synchronous.NORMAL), Tuning.defaults().withClock(clock))) {
            Client office200 = Client.from(office.uri(), "127.0.3.1");
            for (int i = 0; i < 200; i++) {
                office200.cookie = null; // each one a new person, without a session yet
                assertThat(office200.signIn("colleague " + i).statusCode()).as("sign-in %d", i).isEqualTo(200);
            }
        }
    }

    /**
     * A client with many addresses (an IPv6 /48 holds 65,536 /64s) gets a bucket per address: only the server's own
     * bucket bounds how fast sessions can be created. Its own server, on a clock that moves only when told, so that
     * no token comes back while the test runs.
     */
    @Test
    void sign_ins_beyond_the_servers_global_burst_are_429_whatever_the_address(@TempDir Path own) {
        TestClock clock = new TestClock();
        ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(own)
                .withSignInLimit(10_000, 10_000).withGlobalSignInLimit(1, 3);
        try (ServerImpl small = ServerImpl.start(config, Tuning.defaults().withClock(clock))) {
            for (int i = 0; i < 3; i++) {
                assertThat(Client.from(small.uri(), "127.0.1." + (i + 1)).signIn("user" + i).statusCode()).isEqualTo(200);
            }

            HttpResponse<String> refused = Client.from(small.uri(), "127.0.1.9").signIn("a fresh address");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Client.json(refused).path("error").asText()).contains("on this server").contains("1 a second")
                    .contains("burst of 3");
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            assertThat(Client.from(small.uri(), "127.0.1.9").signIn("a fresh address").statusCode()).isEqualTo(200);
        }
    }

    /**
     * Only a sign-in that creates a session draws on the server's bucket: with it empty, a user with a live cookie
     * still renames (or renews), and a refused new sign-in gives its address's token back.
     */
    @Test
    void with_the_servers_burst_used_up_a_rename_with_a_live_cookie_succeeds_and_a_new_sign_in_is_429(@TempDir Path own) {
        TestClock clock = new TestClock();
        ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(own)
                .withSignInLimit(1, 2).withGlobalSignInLimit(1, 1);
        try (ServerImpl small = ServerImpl.start(config, Tuning.defaults().withClock(clock))) {
            Client alice = Client.from(small.uri(), "127.0.2.1");
            HttpResponse<String> first = alice.signIn("alice");
            assertThat(first.statusCode()).isEqualTo(200);
            String token = alice.cookie;

            HttpResponse<String> renamed = alice.signIn("alice renamed");

            assertThat(renamed.statusCode()).isEqualTo(200);
            assertThat(Client.json(renamed).path("userId").asText()).isEqualTo(Client.json(first).path("userId").asText());
            assertThat(alice.cookie).isEqualTo(token);
            Client bob = Client.from(small.uri(), "127.0.2.2");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> refused = bob.signIn("bob");
                assertThat(refused.statusCode()).isEqualTo(429);
                // Never the address's limit (a burst of two): each refusal gave bob's token back.
                assertThat(Client.json(refused).path("error").asText()).contains("on this server");
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(bob.signIn("bob").statusCode()).isEqualTo(200);
        }
    }
}
