package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a reverse proxy: a trusted proxy (connecting from 127.0.0.2, the server's {@code --trusted-proxies}) says
 * who the client is and how it came; anyone else (127.0.0.3 and up) sending the same headers is not believed. Each test
 * forwards for client addresses of its own, so that the tests share one server without sharing sign-in buckets.
 */
class TrustedProxyTest {
    static final String PROXY = "127.0.0.2";
    /** Untrusted peers: one per test, since every request from one shares its bucket whatever it forwards. */
    static final String STRANGER = "127.0.0.3";
    static final String OTHER_STRANGER = "127.0.0.4";
    static final String THIRD_STRANGER = "127.0.0.5";
    static final String PUBLIC_HOST = "chat.example.org";
    static final int BURST = 3;
    @TempDir
    static Path data;
    static ChatServer server;

    @BeforeAll
    static void start() {
        // One sign-in a minute after a burst of three per client address: the fourth quick one is refused.
        server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSignInLimit(1, BURST)
                .withTrustedProxies(List.of(PROXY + "/32", "2001:db8::/32")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A client whose requests reach the server through {@code peer}, with the headers a TLS-terminating proxy adds. */
    static Client behind(String peer, String clientAddress) {
        return Client.through(server.uri(), peer, Map.of("X-Forwarded-For", clientAddress, "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", PUBLIC_HOST));
    }

    static void useTheBurst(String peer, String clientAddress) {
        for (int i = 0; i < BURST; i++) {
            assertThat(behind(peer, clientAddress).signIn("user" + i).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void two_clients_forwarded_by_a_trusted_proxy_do_not_share_a_sign_in_bucket() {
        useTheBurst(PROXY, "203.0.113.1");
        assertThat(behind(PROXY, "203.0.113.1").signIn("one too many").statusCode()).isEqualTo(429);

        assertThat(behind(PROXY, "203.0.113.2").signIn("a colleague").statusCode()).isEqualTo(200);
    }

    @Test
    void forwarded_clients_are_told_apart_by_rfc_7239_forwarded_too() {
        Client first = Client.through(server.uri(), PROXY, Map.of("Forwarded", "for=\"[2001:db9::1]:4711\";proto=https"));
        for (int i = 0; i < BURST; i++) {
            assertThat(first.signIn("user" + i).statusCode()).isEqualTo(200);
        }

        Client other = Client.through(server.uri(), PROXY, Map.of("Forwarded", "for=\"[2001:db9:0:1::1]:4711\";proto=https"));

        assertThat(other.signIn("a colleague").statusCode()).isEqualTo(200);
    }

    @Test
    void an_untrusted_peers_forwarded_addresses_are_ignored_so_spoofed_ones_share_its_bucket() {
        for (int i = 0; i < BURST; i++) {
            assertThat(behind(STRANGER, "198.51.100." + (i + 1)).signIn("spoofer" + i).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = behind(STRANGER, "198.51.100.99").signIn("yet another address");

        assertThat(refused.statusCode()).isEqualTo(429);
    }

    @Test
    void a_spoofed_leftmost_address_does_not_escape_the_clients_bucket() {
        for (int i = 0; i < BURST; i++) {
            Client client = Client.through(server.uri(), PROXY, Map.of("X-Forwarded-For", "192.0.2." + (i + 1) + ", 203.0.113.50"));
            assertThat(client.signIn("user" + i).statusCode()).isEqualTo(200);
        }

        Client spoofing = Client.through(server.uri(), PROXY, Map.of("X-Forwarded-For", "192.0.2.99, 203.0.113.50"));

        assertThat(spoofing.signIn("yet another").statusCode()).isEqualTo(429);
    }

    @Test
    void the_cookie_is_secure_when_a_trusted_proxy_says_the_client_used_https() {
        HttpResponse<String> response = behind(PROXY, "203.0.113.10").signIn("alice");

        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("; Secure"));
    }

    @Test
    void the_cookie_is_not_secure_when_an_untrusted_peer_claims_https() {
        HttpResponse<String> response = behind(OTHER_STRANGER, "203.0.113.11").signIn("mallory");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).doesNotContain("Secure"));
    }

    @Test
    void the_public_https_origin_is_accepted_behind_a_trusted_proxy() throws Exception {
        Client alice = behind(PROXY, "203.0.113.20");
        assertThat(alice.signIn("alice").statusCode()).isEqualTo(200);
        Frames frames = new Frames(Long.MAX_VALUE);

        alice.events("general", "0", "https://" + PUBLIC_HOST, frames).get(10, TimeUnit.SECONDS);

        frames.abort();
    }

    @Test
    void the_public_https_origin_is_refused_when_an_untrusted_peer_claims_the_forwarded_host() {
        Client mallory = behind(THIRD_STRANGER, "203.0.113.21");
        assertThat(mallory.signIn("mallory").statusCode()).isEqualTo(200);

        assertThat(EventSocketTest.refusal(mallory, "general", "0", "https://" + PUBLIC_HOST)).isEqualTo(403);
    }

    @Test
    void a_plain_http_origin_is_refused_when_the_client_used_https() {
        Client alice = behind(PROXY, "203.0.113.22");
        assertThat(alice.signIn("alice").statusCode()).isEqualTo(200);

        assertThat(EventSocketTest.refusal(alice, "general", "0", "http://" + PUBLIC_HOST)).isEqualTo(403);
    }

    /**
     * nginx with {@code proxy_set_header Host $host} and {@code X-Forwarded-Proto $scheme}: the public host arrives in
     * {@code Host} itself (which only a raw socket can set), the scheme in the header.
     */
    @Test
    void the_public_https_origin_is_accepted_when_the_trusted_proxy_passes_the_public_host_in_host() throws Exception {
        Client alice = behind(PROXY, "203.0.113.23");
        assertThat(alice.signIn("alice").statusCode()).isEqualTo(200);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port(), InetAddress.getByName(PROXY), 0)) {
            socket.setSoTimeout((int) Client.TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET /api/rooms/general/events?after=0 HTTP/1.1\r\n"
                    + "Host: " + PUBLIC_HOST + "\r\n"
                    + "Origin: https://" + PUBLIC_HOST + "\r\n"
                    + "X-Forwarded-For: 203.0.113.23\r\nX-Forwarded-Proto: https\r\n"
                    + "Cookie: " + alice.cookie + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));

            assertThat(in.readLine()).startsWith("HTTP/1.1 101");
        }
    }

    @Test
    void metrics_forwarded_by_a_trusted_loopback_proxy_are_403() {
        HttpResponse<String> response = behind(PROXY, "127.0.0.1").get("/metrics");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).doesNotContain("loomlite_up");
    }
}
