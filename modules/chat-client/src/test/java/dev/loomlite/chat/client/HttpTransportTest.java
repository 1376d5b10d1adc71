package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.SendResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpTransportTest {
    /** What the fake server received. */
    record Received(String method, String path, String cookie, String contentType, Map<String, Object> body) {
    }

    /** What it answers next. */
    record Reply(int status, String body, String retryAfter) {
    }

    HttpServer server;
    // Filled by the server's handler threads; taken by the test.
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        transport = HttpTransport.create(base, () -> HttpTransport.sessionCookie("abc"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Cookie"), exchange.getRequestHeaders().getFirst("Content-Type"),
                Json.parseObject(body)));
        Reply reply;
        try {
            reply = replies.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static String stored(String clientId, String content, Long replyTo) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("messageId", 128L);
        json.put("roomId", "general");
        json.put("seq", 2L);
        json.put("clientId", clientId);
        json.put("author", "Alïce");
        json.put("authorId", "u1");
        json.put("content", content);
        json.put("replyToId", replyTo);
        json.put("createdAt", "2026-11-27T07:00:00.123Z");
        return Json.write(json);
    }

    @Test
    void posts_the_message_as_json_with_the_cookie_and_reads_the_stored_message() throws Exception {
        String content = "héllo \"world\"\nline 2 \t 😀 \\";
        replies.add(new Reply(201, stored("c-1", content, 64L), null));

        SendResult result = transport.send(new OutgoingMessage("general", "c-1", content, OptionalLong.of(64)));

        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/rooms/general/messages");
        assertThat(r.cookie()).isEqualTo("loomlite_session=abc");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo(Map.of("clientId", "c-1", "content", content, "replyToId", 64L));
        assertThat(result.replay()).isFalse();
        assertThat(result.message()).isEqualTo(new ChatMessage(128, "general", 2, "c-1", "u1", "Alïce", content,
                OptionalLong.of(64), Instant.parse("2026-11-27T07:00:00.123Z")));
    }

    @Test
    void a_200_is_a_replay_and_a_null_reply_to_is_empty() throws Exception {
        replies.add(new Reply(200, stored("c-1", "hi", null), null));

        SendResult result = transport.send(OutgoingMessage.of("general", "c-1", "hi"));

        assertThat(result.replay()).isTrue();
        assertThat(result.message().replyToId()).isEmpty();
        assertThat(received.poll(10, TimeUnit.SECONDS).body()).doesNotContainKey("replyToId");
    }

    @Test
    void a_stored_message_carries_the_epoch_the_server_gave_it() {
        String body = stored("c-1", "hi", null);
        replies.add(new Reply(201, body.substring(0, body.length() - 1) + ",\"epoch\":3}", null));

        SendResult result = transport.send(OutgoingMessage.of("general", "c-1", "hi"));

        assertThat(result.message().epoch()).isEqualTo(3);
    }

    @Test
    void a_stored_message_without_an_epoch_is_of_epoch_1() {
        replies.add(new Reply(201, stored("c-1", "hi", null), null));

        SendResult result = transport.send(OutgoingMessage.of("general", "c-1", "hi"));

        assertThat(result.message().epoch()).isEqualTo(1);
    }

    @Test
    void a_client_error_is_not_retryable_and_carries_the_servers_reason() {
        replies.add(new Reply(400, "{\"error\":\"content must be at most 4000 characters\",\"field\":\"content\"}", null));

        assertThatThrownBy(() -> transport.send(OutgoingMessage.of("general", "c-1", "hi")))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("HTTP 400: content must be at most 4000 characters");
                });
    }

    @Test
    void saturation_is_retryable_after_the_servers_delay() {
        replies.add(new Reply(503, "{\"error\":\"busy\"}", "3"));

        assertThatThrownBy(() -> transport.send(OutgoingMessage.of("general", "c-1", "hi")))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                });
    }

    @Test
    void an_unreadable_success_is_retryable() {
        replies.add(new Reply(201, "{\"messageId\":", null));

        assertThatThrownBy(() -> transport.send(OutgoingMessage.of("general", "c-1", "hi")))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void no_server_is_a_retryable_network_error() {
        server.stop(0);

        assertThatThrownBy(() -> transport.send(OutgoingMessage.of("general", "c-1", "hi")))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void the_session_cookie_is_the_servers_cookie_name_with_the_token() {
        assertThat(HttpTransport.sessionCookie("abc-_.~")).isEqualTo("loomlite_session=abc-_.~");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "secret;b", "secret b", "secret,b", "secret\"b", "secret\n"})
    void a_token_that_cannot_be_a_cookie_value_is_refused_without_echoing_it(String token) {
        assertThatThrownBy(() -> HttpTransport.sessionCookie(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session token")
                .hasMessageNotContaining("secret");
    }
}
