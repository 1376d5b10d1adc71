package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaturationTest {
    static final int AT_ONCE = 64;
    static final int ROUNDS = 10;

    @TempDir
    Path data;

    @Test
    void a_full_send_queue_answers_503_with_retry_after_and_stores_nothing_for_it() throws Exception {
        Tuning tiny = Tuning.defaults().withChat(ChatConfig.defaults().withMaxRoomQueue(1).withMaxGlobalQueue(1));
        try (ServerImpl server = ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(data).withSendLimit(100_000, 100_000), tiny)) {
            Client alice = Client.signedIn(server.uri(), "alice");
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int round = 0; round < ROUNDS && answers.stream().noneMatch(r -> r.statusCode() == 503); round++) {
                answers.addAll(burst(alice, round));
            }

            assertThat(answers).extracting(HttpResponse::statusCode).isSubsetOf(201, 503).contains(201, 503);
            HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(Client.json(refused).path("error").asText()).contains("queue");
            long stored = Client.json(alice.get("/api/rooms/busy/messages?after=0&limit=500")).path("messages").size();
            assertThat(stored).isEqualTo(answers.stream().filter(r -> r.statusCode() == 201).count());
        }
    }

    /** {@link #AT_ONCE} sends released together. */
    static List<HttpResponse<String>> burst(Client client, int round) throws Exception {
        CyclicBarrier start = new CyclicBarrier(AT_ONCE);
        List<Future<HttpResponse<String>>> sends = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < AT_ONCE; i++) {
                String clientId = "r" + round + "-" + i;
                sends.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return client.sendMessage("busy", clientId, "at once " + clientId);
                }));
            }
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> send : sends) {
            answers.add(send.get());
        }
        return answers;
    }
}
