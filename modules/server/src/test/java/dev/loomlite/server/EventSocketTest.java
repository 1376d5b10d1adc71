package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSocketTest {
    static final String ALLOWED = "https://chat.example.org";
    @TempDir
    static Path data;
    static ChatServer server;
    static Client alice;

    @BeforeAll
    static void start() {
        server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data)
                .withAllowedOrigins(List.of(ALLOWED)).withSendLimit(10_000, 10_000));
        alice = Client.signedIn(server.uri(), "alice");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void backlog_then_live_messages_arrive_in_seq_order_without_gap_or_duplicate() throws Exception {
        for (int i = 1; i <= 40; i++) {
            alice.sendMessage("stream", "b-" + i, "backlog " + i);
        }
        Frames frames = alice.subscribe("stream", 10);
        // Live sends race with the backlog hand-over on purpose.
        CompletableFuture<Void> live = CompletableFuture.runAsync(() -> {
            for (int i = 41; i <= 100; i++) {
                alice.sendMessage("stream", "l-" + i, "live " + i);
            }
        });

        List<Long> seqs = frames.nextSeqs(90);
        live.get(30, TimeUnit.SECONDS);

        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(11, 100).boxed().toList());
        assertThat(frames.received.poll(200, TimeUnit.MILLISECONDS)).as("no duplicate after the last").isNull();
    }

    @Test
    void a_backlog_arrives_in_frames_of_several_messages() throws Exception {
        for (int i = 1; i <= 30; i++) {
            alice.sendMessage("batched", "k-" + i, "backlog " + i);
        }
        Frames frames = alice.subscribe("batched", 0);

        List<Long> seqs = frames.nextSeqs(30);

        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(frames.batchFrames).hasValue(1);
    }

    @Test
    void permessage_deflate_offered_like_a_browser_is_declined() throws Exception {
        try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout((int) Client.TIMEOUT.toMillis());
            String host = server.uri().getHost() + ":" + server.uri().getPort();
            socket.getOutputStream().write(("GET /api/rooms/general/events?after=0 HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "Origin: http://" + host + "\r\n"
                    + "Cookie: " + alice.cookie + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }

            assertThat(head.getFirst()).startsWith("http/1.1 101");
            assertThat(head).noneMatch(line -> line.startsWith("sec-websocket-extensions"));
        }
    }

    @Test
    void a_cursor_past_the_rooms_end_gets_a_resync_frame_with_the_last_seq_and_close_4409() throws Exception {
        alice.sendMessage("restored", "r-1", "kept");
        Frames frames = new Frames(Long.MAX_VALUE);
        alice.events("restored", "7", null, frames).get(10, TimeUnit.SECONDS);

        JsonNode frame = frames.next();

        assertThat(frame.path("type").asText()).isEqualTo("resync");
        assertThat(frame.path("lastSeq").asLong()).isEqualTo(1);
        assertThat(frame.path("epoch").asLong()).isEqualTo(1);
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).startsWith("4409");
    }

    @Test
    void a_cursor_from_a_later_epoch_than_the_rooms_gets_a_resync_frame_that_keeps_nothing() throws Exception {
        alice.sendMessage("restored-epoch", "re-1", "kept");
        Frames frames = new Frames(Long.MAX_VALUE);
        alice.events("restored-epoch", "1&epoch=2", null, frames).get(10, TimeUnit.SECONDS);

        JsonNode frame = frames.next();

        assertThat(frame.path("type").asText()).isEqualTo("resync");
        assertThat(frame.path("lastSeq").asLong()).isZero();
        assertThat(frame.path("epoch").asLong()).isEqualTo(1);
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).startsWith("4409");
    }

    @Test
    void a_cursor_of_the_rooms_epoch_streams_as_one_without_it() throws Exception {
        alice.sendMessage("with-epoch", "we-1", "first");
        Frames frames = new Frames(Long.MAX_VALUE);
        alice.events("with-epoch", "0&epoch=1", null, frames).get(10, TimeUnit.SECONDS);

        JsonNode frame = frames.next();

        assertThat(frame.path("message").path("seq").asLong()).isEqualTo(1);
        assertThat(frame.path("message").path("epoch").asLong()).isEqualTo(1);
        frames.abort();
    }

    @Test
    void a_frame_carries_the_same_body_as_the_send_answer() throws Exception {
        Frames frames = alice.subscribe("same-body", 0);
        String sent = alice.sendMessage("same-body", "x-1", "<img src=x onerror=alert(1)>").body();

        JsonNode frame = frames.next();

        assertThat(frame.path("type").asText()).isEqualTo("message");
        assertThat(frame.path("message")).isEqualTo(Client.JSON.readTree(sent));
    }

    @Test
    void a_connection_without_origin_and_with_a_session_is_allowed() throws Exception {
        Frames frames = new Frames(Long.MAX_VALUE);
        alice.events("general", "0", null, frames).get(10, TimeUnit.SECONDS);
        frames.abort();
    }

    @Test
    void the_servers_own_origin_is_allowed() throws Exception {
        String own = server.uri().toString().replaceAll("/$", "");
        Frames frames = new Frames(Long.MAX_VALUE);
        alice.events("general", "0", own, frames).get(10, TimeUnit.SECONDS);
        frames.abort();
    }

    @Test
    void an_allow_listed_origin_is_allowed() throws Exception {
        Frames frames = new Frames(Long.MAX_VALUE);
        alice.events("general", "0", ALLOWED, frames).get(10, TimeUnit.SECONDS);
        frames.abort();
    }

    @Test
    void a_foreign_origin_is_refused_with_403() {
        for (String origin : new String[] {"https://evil.example", "null", "http://127.0.0.1.evil.example", "http://localhost:1"}) {
            assertThat(refusal(alice, "general", "0", origin)).as(origin).isEqualTo(403);
        }
    }

    @Test
    void an_upgrade_without_a_session_is_refused_with_401() {
        assertThat(refusal(new Client(server.uri()), "general", "0", null)).isEqualTo(401);
    }

    @Test
    void a_bad_room_or_cursor_is_refused_with_400() {
        assertThat(refusal(alice, "Bad_Room", "0", null)).isEqualTo(400);
        assertThat(refusal(alice, "general", "-1", null)).isEqualTo(400);
        assertThat(refusal(alice, "general", "0&epoch=0", null)).isEqualTo(400);
        assertThat(refusal(alice, "general", "0&epoch=x", null)).isEqualTo(400);
    }

    @Test
    void a_refused_upgrade_answers_with_a_json_error() throws Exception {
        try (Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
            socket.setSoTimeout((int) Client.TIMEOUT.toMillis());
            String host = server.uri().getHost() + ":" + server.uri().getPort();
            socket.getOutputStream().write(("GET /api/rooms/general/events?after=0 HTTP/1.1\r\n"
                    + "Host: " + host + "\r\nOrigin: https://evil.example\r\nCookie: " + alice.cookie + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(Locale.ROOT));
            }
            int length = head.stream().filter(line -> line.startsWith("content-length:"))
                    .mapToInt(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(-1);
            char[] body = new char[Math.max(0, length)];
            int read = in.read(body, 0, body.length);

            assertThat(head.getFirst()).startsWith("http/1.1 403");
            assertThat(head).contains("content-type: application/json");
            assertThat(new String(body, 0, Math.max(0, read))).isEqualTo("{\"error\":\"origin not allowed\"}");
        }
    }

    /** The HTTP status of a refused upgrade. */
    static int refusal(Client client, String room, String after, String origin) {
        Throwable failure = catchThrowable(() -> client.events(room, after, origin, new Frames(Long.MAX_VALUE)).get(10, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
    }
}
