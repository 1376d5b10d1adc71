package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpContractTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    static final HttpClient http = HttpClient.newHttpClient();



    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(server.uri().resolve(URI.create(path)));
    }

    @Test
    void health_answers_up_as_json() throws Exception {
        var response = send(at("/health"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"status\":\"up\"}");
    }

    @Test
    void unknown_route_is_a_json_404() throws Exception {
        var response = send(at("/no/such/route"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"error\":\"not found\"}");
    }

    @Test
    void wrong_method_is_a_json_405() throws Exception {
        var response = send(at("/health").DELETE());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).contains("\"error\"").doesNotContain("<html");
    }

    @Test
    void every_response_carries_the_security_headers() throws Exception {
        for (String path : new String[] {"/health", "/", "/missing", "/api/session", "/metrics", "/%2e%2e/pom.xml"}) {
            var headers = send(at(path)).headers();
            assertThat(headers.firstValue("Content-Security-Policy")).as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(path).contains("DENY");
            assertThat(headers.firstValue("Referrer-Policy")).as(path).isPresent();
        }
    }

    @Test
    void the_page_is_served_from_the_web_client_module() throws Exception {
        var response = send(at("/"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsIgnoringCase("<!doctype html>");
    }

    @Test
    void files_outside_the_web_client_are_not_reachable() throws Exception {
        for (String path : new String[] {"/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/module-info.class", "/dev/loomlite/webclient/WebClient.class"}) {
            assertThat(send(at(path)).statusCode()).as(path).isIn(400, 404);
        }
    }

    @Test
    void a_request_jetty_rejects_itself_is_answered_with_connection_close() throws Exception {
        // Jetty drops the connection after such an error: saying so keeps keep-alive clients from reusing it.
        var response = send(at("/%2e%2e/pom.xml"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Connection")).contains("close");
    }

    @Test
    void errors_raised_by_jetty_itself_are_json_not_html() throws Exception {
        for (String path : new String[] {"/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/a%00b"}) {
            var response = send(at(path).header("Accept", "text/html"));
            assertThat(response.statusCode()).as(path).isBetween(400, 499);
            assertThat(response.body()).as(path).startsWith("{\"error\"").doesNotContainIgnoringCase("<html").doesNotContain("pom.xml");
        }
    }

    @Test
    void a_malformed_request_line_gets_a_json_400() throws Exception {
        try (Socket socket = new Socket(server.uri().getHost(), server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /a b<script> HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("<html").doesNotContain("<script>");
        }
    }

    @Test
    void the_server_does_not_announce_its_software() throws Exception {
        assertThat(send(at("/health")).headers().firstValue("Server")).isEmpty();
    }
}
