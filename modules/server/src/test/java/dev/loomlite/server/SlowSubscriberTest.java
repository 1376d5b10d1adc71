package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowSubscriberTest {
    /** 4000 characters of three UTF-8 bytes each: about 12 KB a frame, so socket buffers fill quickly. */
    static final String BIG = "字".repeat(4000);
    static final int MAX_SENDS = 3_000;

    /**
     * How long the test waits for the server to let go of a dropped subscriber's connection: far below the idle
     * timeout (5 minutes by default), which would end it anyway.
     */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    ServerImpl start() {
        Tuning tuning = Tuning.defaults()
                .withWsSendTimeout(Duration.ofMillis(200))
                .withChat(ChatConfig.defaults().withMaxBatch(8).withSubscriberBuffer(8));
        return ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSendLimit(100_000, 100_000), tuning);
    }

    /** Sends big messages until the server has no open event stream left; returns how many it took. */
    static int sendUntilDropped(Client alice) {
        int sent = 0;
        while (sent < MAX_SENDS && MetricsTest.sample(alice, "loomlite_ws_subscribers") > 0) {
            for (int i = 0; i < 20; i++, sent++) {
                assertThat(alice.sendMessage("slow", "big-" + sent, BIG).statusCode()).isEqualTo(201);
            }
        }
        assertThat(MetricsTest.sample(alice, "loomlite_ws_subscribers")).as("dropped after %d sends", sent).isZero();
        return sent;
    }

    @Test
    void a_subscriber_that_never_reads_is_disconnected_once_dropped() throws Exception {
        try (ServerImpl server = start(); Socket stuck = new Socket()) {
            Client alice = Client.signedIn(server.uri(), "alice");
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = stuck.getOutputStream();
            out.write(("GET /api/rooms/slow/events?after=0 HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nCookie: " + alice.cookie + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = stuck.getInputStream();
            assertThat(head(in)).startsWith("HTTP/1.1 101");
            assertThat(alice.sendMessage("slow", "first", "hello").statusCode()).isEqualTo(201);
            assertThat(in.read()).as("a text frame begins: the stream is live").isEqualTo(0x81);

            assertThat(TcpTable.held(server.port(), stuck.getLocalPort())).as("the server's end, while subscribed").isTrue();

            sendUntilDropped(alice); // nothing read meanwhile: the server's writes to it are stuck

            // Still reading nothing: a server that waits for a close handshake the peer cannot answer holds the
            // connection (and what it queued) until the idle timeout; one that let go has only an orphan left.
            long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
            boolean held = true;
            while (held && System.nanoTime() < deadline) {
                held = TcpTable.held(server.port(), stuck.getLocalPort());
                if (held) {
                    Thread.sleep(50); // polling the kernel's table: there is nothing to wait on
                }
            }
            assertThat(held).as("the server still holds the dropped subscriber's connection after %s", RELEASE_WAIT).isFalse();
        }
    }

    /** The upgrade's response head, byte by byte, so that nothing after it is read. */
    static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed during the upgrade: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void a_subscriber_that_stops_reading_gets_a_reset_with_a_reason_and_is_closed() throws Exception {
        try (ServerImpl server = start()) {
            Client alice = Client.signedIn(server.uri(), "alice");
            Frames slow = new Frames(1); // reads one frame, then nothing until told
            alice.events("slow", "0", null, slow).get(10, TimeUnit.SECONDS);

            int sent = sendUntilDropped(alice);

            slow.request(Long.MAX_VALUE);
            String close = slow.closed.get(30, TimeUnit.SECONDS);
            List<JsonNode> frames = new ArrayList<>(slow.received);

            assertThat(close).startsWith("1013");
            JsonNode last = frames.getLast();
            assertThat(last.path("type").asText()).isEqualTo("reset");
            assertThat(last.path("reason").asText()).isNotBlank();
            List<Long> seqs = frames.subList(0, frames.size() - 1).stream().map(f -> f.path("message").path("seq").asLong()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(seqs.size()).isLessThan(sent);
        }
    }
}
