package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.client.OutgoingMessage;
import dev.loomlite.chat.client.TransportException;
import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool's minimal HTTP/1.1 transport answers like HttpTransport, against a real server on port 0, or (for what
 * today's server does not send yet) a socket that answers one request with a fixed body.
 */
class SocketTransportTest {
    private static final String STORED = "{\"messageId\":64,\"roomId\":\"room\",\"seq\":1,\"clientId\":\"c-1\","
            + "\"author\":\"a\",\"authorId\":\"u1\",\"content\":\"hello\",\"replyToId\":null,"
            + "\"createdAt\":\"2026-12-03T02:00:00Z\"";

    @TempDir
    Path dir;

    /** Sends one message to a socket that answers 201 with {@code body}, and returns the stored message's epoch. */
    private static long epochOfAnswer(String body) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().name("fake-server").start(() -> answer(server, body));
            try (SocketTransport transport = new SocketTransport(URI.create("http://127.0.0.1:" + server.getLocalPort()), "c=v")) {
                return transport.send(OutgoingMessage.of("room", "c-1", "hello")).message().epoch();
            } finally {
                answering.interrupt();
            }
        }
    }

    /** Reads one request (headers, then Content-Length bytes) and answers it; the socket stays open until closed. */
    private static void answer(ServerSocket server, String body) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                head.append((char) in.read());
            }
            String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
            int at = lower.indexOf("content-length:") + "content-length:".length();
            in.readNBytes(Integer.parseInt(lower.substring(at, lower.indexOf("\r\n", at)).strip()));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            in.read(); // until the client closes
        } catch (IOException e) {
            // The test ended first: nothing to answer.
        }
    }

    private static String signIn(ChatServer server) {
        try (HttpClient http = Api.client()) {
            return new Api(http, server.uri()).signIn("socket-test", Duration.ofSeconds(5), line -> { });
        }
    }

    @Test
    void a_send_gives_the_stored_message_and_a_repeat_is_a_replay_on_the_same_connection() {
        try (ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(dir));
             SocketTransport transport = new SocketTransport(server.uri(), signIn(server))) {
            SendResult first = transport.send(OutgoingMessage.of("room", "c-1", "hello"));
            SendResult again = transport.send(OutgoingMessage.of("room", "c-1", "hello"));

            assertThat(first.replay()).isFalse();
            assertThat(first.message().seq()).isEqualTo(1);
            assertThat(first.message().authorName()).isEqualTo("socket-test");
            assertThat(again.replay()).isTrue();
            assertThat(again.message().messageId()).isEqualTo(first.message().messageId());
        }
    }

    @Test
    void a_stored_message_carries_the_epoch_the_server_gave_it() throws IOException {
        assertThat(epochOfAnswer(STORED + ",\"epoch\":3}")).isEqualTo(3);
    }

    @Test
    void a_stored_message_without_an_epoch_is_of_epoch_1() throws IOException {
        assertThat(epochOfAnswer(STORED + "}")).isEqualTo(1);
    }

    @Test
    void a_refusal_is_a_transport_exception_with_its_status_and_retry_after() {
        try (ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(dir).withSendLimit(1, 1));
             SocketTransport transport = new SocketTransport(server.uri(), signIn(server))) {
            transport.send(OutgoingMessage.of("room", "c-1", "one"));

            TransportException e = catchThrowableOfType(TransportException.class,
                    () -> transport.send(OutgoingMessage.of("room", "c-2", "two")));

            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).isPresent();
            assertThat(e.getMessage()).startsWith("HTTP 429");
        }
    }
}
