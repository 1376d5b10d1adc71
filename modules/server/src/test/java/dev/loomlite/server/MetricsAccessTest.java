package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may read /metrics: bearer-token holders when METRICS_TOKEN is set, else clients on the same machine only. */
class MetricsAccessTest {
    static final String TOKEN = "s3cret-metrics-token-0123456789";
    @TempDir
    static Path data;
    static ChatServer open;
    static ChatServer guarded;

    @BeforeAll
    static void start() {
        open = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data.resolve("open")));
        guarded = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data.resolve("guarded")).withMetricsToken(TOKEN));
    }

    @AfterAll
    static void stop() {
        open.close();
        guarded.close();
    }

    static HttpResponse<String> metrics(ChatServer server, String header, String value) {
        Client client = new Client(server.uri());
        return client.send(value == null ? client.request("/metrics") : client.request("/metrics").header(header, value));
    }

    @Test
    void with_a_token_metrics_without_authorization_are_401() {
        HttpResponse<String> response = metrics(guarded, null, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(Client.json(response).path("error").asText()).contains("Authorization: Bearer").contains("METRICS_TOKEN");
        assertThat(response.body()).doesNotContain("loomlite_up");
    }

    @Test
    void with_a_token_a_wrong_token_is_401() {
        for (String wrong : new String[] {"Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Basic " + TOKEN, TOKEN}) {
            HttpResponse<String> response = metrics(guarded, "Authorization", wrong);
            assertThat(response.statusCode()).as(wrong).isEqualTo(401);
            assertThat(response.body()).as(wrong).doesNotContain(TOKEN);
        }
    }

    @Test
    void with_a_token_the_bearer_token_opens_metrics() {
        HttpResponse<String> response = metrics(guarded, "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("loomlite_up 1");
    }

    @Test
    void without_a_token_loopback_clients_get_metrics() {
        HttpResponse<String> response = metrics(open, null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("loomlite_up 1");
    }

    @Test
    void without_a_token_a_request_forwarded_by_a_local_proxy_is_403() {
        for (String header : new String[] {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
            HttpResponse<String> response = metrics(open, header, header.equals("Forwarded") ? "for=203.0.113.9" : "203.0.113.9");

            assertThat(response.statusCode()).as(header).isEqualTo(403);
            assertThat(Client.json(response).path("error").asText()).as(header).contains("METRICS_TOKEN");
        }
    }

    @Test
    void without_a_token_a_client_from_another_address_is_403() {
        String address = nonLoopbackAddress();
        try (ChatServer exposed = ChatServer.start(ServerConfig.defaults().withHost(address).withPort(0).withDataDir(data.resolve("exposed")))) {
            HttpResponse<String> response = metrics(exposed, null, null);

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).doesNotContain("loomlite_up");
        }
    }

    @Test
    void with_a_token_a_client_from_another_address_gets_metrics() {
        String address = nonLoopbackAddress();
        try (ChatServer exposed = ChatServer.start(ServerConfig.defaults().withHost(address).withPort(0)
                .withDataDir(data.resolve("exposed-guarded")).withMetricsToken(TOKEN))) {
            assertThat(metrics(exposed, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        }
    }

    /** An IPv4 address of this machine that is not loopback (the client then connects from it too). */
    static String nonLoopbackAddress() {
        Optional<String> address;
        try {
            address = NetworkInterface.networkInterfaces()
                    .filter(MetricsAccessTest::up)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    .map(InetAddress::getHostAddress)
                    .findFirst();
        } catch (SocketException e) {
            address = Optional.empty();
        }
        Assumptions.assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
        return address.orElseThrow();
    }

    private static boolean up(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
