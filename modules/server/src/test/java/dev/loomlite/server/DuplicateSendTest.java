package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DuplicateSendTest {
    static final int SENDERS = 24;
    @RegisterExtension
    static final RunningServer server = new RunningServer();



    @Test
    void concurrent_sends_of_one_client_id_store_one_message_answer_one_201_and_replay_the_rest() throws Exception {
        Client alice = Client.signedIn(server.uri(), "alice");
        CyclicBarrier start = new CyclicBarrier(SENDERS);
        List<Future<HttpResponse<String>>> sends = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < SENDERS; i++) {
                sends.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return alice.sendMessage("race", "the-one", "sent many times at once");
                }));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (Future<HttpResponse<String>> send : sends) {
            statuses.add(send.get().statusCode());
            bodies.add(send.get().body());
        }

        assertThat(statuses).containsOnly(200, 201);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(bodies).containsOnly(bodies.getFirst());
        assertThat(Client.json(alice.get("/api/rooms/race/messages")).path("messages")).hasSize(1);
    }

    @Test
    void concurrent_sends_of_distinct_client_ids_get_distinct_gapless_seqs() throws Exception {
        Client bob = Client.signedIn(server.uri(), "bob");
        List<Future<HttpResponse<String>>> sends = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < SENDERS; i++) {
                String clientId = "distinct-" + i;
                sends.add(threads.submit(() -> bob.sendMessage("many", clientId, "message " + clientId)));
            }
        }
        List<Long> seqs = new ArrayList<>();
        for (Future<HttpResponse<String>> send : sends) {
            assertThat(send.get().statusCode()).isEqualTo(201);
            seqs.add(Client.json(send.get()).path("seq").asLong());
        }

        assertThat(seqs).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, SENDERS).boxed().toList());
    }
}
