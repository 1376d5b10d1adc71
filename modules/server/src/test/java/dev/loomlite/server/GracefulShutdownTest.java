package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulShutdownTest {
    static final int SENDERS = 8;
    static final int MAX_PER_SENDER = 2_000;

    @TempDir
    Path data;

    /** One send: its client id and either a status or the failure that left its outcome unknown. */
    record Outcome(String room, String clientId, int status, Throwable failure) {
    }

    ChatServer start() {
        return ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data)
                .withShutdownGrace(Duration.ofSeconds(10)).withSendLimit(100_000, 100_000));
    }

    @Test
    void sends_in_flight_get_an_answer_and_every_acknowledged_message_survives() throws Exception {
        ChatServer server = start();
        List<Client> users = new ArrayList<>();
        for (int u = 0; u < SENDERS; u++) {
            users.add(Client.signedIn(server.uri(), "user" + u));
        }
        Frames subscriber = users.getFirst().subscribe("shutdown-0", 0);
        Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch warmedUp = new CountDownLatch(SENDERS * 10);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int u = 0; u < SENDERS; u++) {
                Client user = users.get(u);
                String room = "shutdown-" + (u % 3);
                senders.execute(() -> sendUntilRefused(user, room, outcomes, warmedUp));
            }
            assertThat(warmedUp.await(30, TimeUnit.SECONDS)).isTrue();
            server.close(); // with sends in flight
        }

        assertThat(subscriber.closed.get(10, TimeUnit.SECONDS)).startsWith("1001");
        List<Integer> statuses = outcomes.stream().filter(o -> o.failure() == null).map(Outcome::status).toList();
        assertThat(statuses).isSubsetOf(200, 201, 503).contains(201);
        // A request may find the port closed (it never reached the server), but no exchange is cut off.
        assertThat(outcomes).filteredOn(o -> o.failure() != null)
                .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(ConnectException.class));

        try (ChatServer again = start()) {
            Client reader = new Client(again.uri());
            reader.cookie = users.getFirst().cookie;
            Set<String> stored = new HashSet<>();
            for (int room = 0; room < 3; room++) {
                long after = 0;
                HttpResponse<String> page;
                do {
                    page = reader.get("/api/rooms/shutdown-" + room + "/messages?limit=500&after=" + after);
                    for (var m : Client.json(page).path("messages")) {
                        stored.add(m.path("roomId").asText() + "/" + m.path("author").asText() + "/" + m.path("clientId").asText());
                        after = m.path("seq").asLong();
                    }
                } while (Client.json(page).path("hasMore").asBoolean());
            }
            List<String> acknowledged = outcomes.stream().filter(o -> o.status() == 200 || o.status() == 201)
                    .map(o -> o.room() + "/" + o.clientId()).toList();
            assertThat(acknowledged).isNotEmpty();
            for (String ack : acknowledged) {
                String room = ack.substring(0, ack.indexOf('/'));
                String clientId = ack.substring(ack.indexOf('/') + 1);
                String user = clientId.substring(0, clientId.indexOf('-'));
                assertThat(stored).contains(room + "/" + user + "/" + clientId);
            }
        }
    }

    /** Sends one message after another until the server refuses (503) or cannot be reached. */
    static void sendUntilRefused(Client user, String room, Queue<Outcome> outcomes, CountDownLatch warmedUp) {
        String name = Client.json(user.get("/api/session")).path("name").asText();
        for (int i = 0; i < MAX_PER_SENDER; i++) {
            String clientId = name + "-" + i;
            try {
                HttpResponse<String> response = user.sendMessage(room, clientId, "message " + i);
                outcomes.add(new Outcome(room, clientId, response.statusCode(), null));
                warmedUp.countDown();
                if (response.statusCode() == 503) {
                    return;
                }
            } catch (UncheckedIOException e) {
                outcomes.add(new Outcome(room, clientId, 0, e.getCause()));
                return;
            }
        }
    }
}
