package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.client.OutgoingMessage;
import dev.loomlite.chat.client.TransportException;
import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ServerConfig;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool's minimal HTTP/1.1 transport answers like HttpTransport, against a real server on port 0. */
class SocketTransportTest {
    @TempDir
    Path dir;

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
