package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
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

    @TempDir
    Path data;

    @Test
    void a_subscriber_that_stops_reading_gets_a_reset_with_a_reason_and_is_closed() throws Exception {
        Tuning tuning = Tuning.defaults()
                .withWsSendTimeout(Duration.ofMillis(200))
                .withChat(ChatConfig.defaults().withMaxBatch(8).withSubscriberBuffer(8));
        try (ServerImpl server = ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(data)
                .withSendLimit(100_000, 100_000), tuning)) {
            Client alice = Client.signedIn(server.uri(), "alice");
            Frames slow = new Frames(1); // reads one frame, then nothing until told
            alice.events("slow", "0", null, slow).get(10, TimeUnit.SECONDS);

            int sent = 0;
            while (sent < MAX_SENDS && MetricsTest.sample(alice, "loomlite_ws_subscribers") > 0) {
                for (int i = 0; i < 20; i++, sent++) {
                    assertThat(alice.sendMessage("slow", "big-" + sent, BIG).statusCode()).isEqualTo(201);
                }
            }
            assertThat(MetricsTest.sample(alice, "loomlite_ws_subscribers")).as("dropped after %d sends", sent).isZero();

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
