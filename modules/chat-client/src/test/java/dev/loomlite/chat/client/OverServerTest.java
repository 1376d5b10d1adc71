package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.SendResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real {@code ChatServer} on port 0, as its docs tell users to run it: {@link HttpTransport}
 * with the server's session cookie, and the {@link Outbox} over it, its events and its retry after a lost reply.
 * One server for the class; each test has its own room.
 */
class OverServerTest {
    @TempDir
    static Path data;
    static LiveServer server;
    // Written once by start(); read by the tests: the cookie the server set ("name=value") and its value.
    static String cookie;
    static String token;

    @BeforeAll
    static void start() {
        server = LiveServer.start(data);
        cookie = server.signIn("alice");
        token = cookie.substring(cookie.indexOf('=') + 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_session_cookie_the_client_builds_is_the_one_the_server_sets() {
        assertThat(HttpTransport.sessionCookie(token)).isEqualTo(cookie);
    }

    @Test
    void http_transport_stores_with_201_and_answers_a_repeat_with_200_and_the_original() {
        HttpTransport http = HttpTransport.create(server.uri(), HttpTransport.sessionCookie(token));
        OutgoingMessage hello = OutgoingMessage.of("transport", "c-1", "hello");

        SendResult first = http.send(hello);
        SendResult again = http.send(hello);

        assertThat(first.replay()).isFalse();
        assertThat(first.message().seq()).isEqualTo(1);
        assertThat(first.message().authorName()).isEqualTo("alice");
        assertThat(again.replay()).isTrue();
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(server.messages("transport", cookie)).extracting(m -> m.get("messageId"))
                .containsExactly(first.message().messageId());
    }

    @Test
    void the_outbox_reports_each_message_queued_then_sent_in_room_order() throws Exception {
        LinkedBlockingQueue<OutboxEvent> events = new LinkedBlockingQueue<>();
        String a;
        String b;
        List<OutboxEvent> seen;
        try (Outbox outbox = Outbox.open(HttpTransport.create(server.uri(), HttpTransport.sessionCookie(token)), events::add)) {
            a = outbox.enqueue("ordered", "first");
            b = outbox.enqueue("ordered", "second");
            seen = awaitSent(events, 2);
        }

        assertThat(seen).filteredOn(e -> e.clientId().equals(a)).map(Object::getClass)
                .containsExactly(OutboxEvent.Queued.class, OutboxEvent.Sent.class);
        assertThat(seen).filteredOn(e -> e.clientId().equals(b)).map(Object::getClass)
                .containsExactly(OutboxEvent.Queued.class, OutboxEvent.Sent.class);
        List<OutboxEvent.Sent> sent = sent(seen);
        assertThat(sent).extracting(OutboxEvent.Sent::clientId).containsExactly(a, b);
        assertThat(sent).extracting(OutboxEvent.Sent::seq).containsExactly(1L, 2L);
        assertThat(sent).extracting(OutboxEvent.Sent::replay).containsExactly(false, false);
        List<Map<String, Object>> stored = server.messages("ordered", cookie);
        assertThat(stored).extracting(m -> m.get("clientId")).containsExactly(a, b);
        assertThat(stored).extracting(m -> m.get("content")).containsExactly("first", "second");
        assertThat(stored).extracting(m -> m.get("messageId"))
                .containsExactly(sent.get(0).messageId(), sent.get(1).messageId());
    }

    @Test
    void a_retry_after_a_lost_reply_is_answered_with_the_original_and_stores_one_message() throws Exception {
        LinkedBlockingQueue<OutboxEvent> events = new LinkedBlockingQueue<>();
        OutboxConfig quickRetry = OutboxConfig.defaults().withInitialBackoff(Duration.ofMillis(1));
        String id;
        List<OutboxEvent> seen;
        String lost;
        // Written by the outbox's send threads, one attempt at a time; read after the outbox closed.
        List<String> attempts = new CopyOnWriteArrayList<>();
        try (LossyProxy proxy = LossyProxy.to(server.uri())) {
            HttpTransport http = HttpTransport.create(proxy.uri(), HttpTransport.sessionCookie(token));
            Transport counted = m -> {
                attempts.add(m.clientId());
                return http.send(m);
            };
            try (Outbox outbox = Outbox.builder(counted).config(quickRetry).listener(events::add).open()) {
                id = outbox.enqueue("lost-reply", "hello once");
                seen = awaitSent(events, 1);
            }
            lost = proxy.lostReply();
        }

        assertThat(lost).as("the server stored it and answered 201; the proxy lost that answer").startsWith("HTTP/1.1 201");
        assertThat(attempts).as("the outbox retried with the same client id").containsExactly(id, id);
        OutboxEvent.Sent sent = sent(seen).getFirst();
        assertThat(sent.clientId()).isEqualTo(id);
        assertThat(sent.replay()).as("the retry, same client id, was answered 200 with the original").isTrue();
        assertThat(seen).noneMatch(e -> e instanceof OutboxEvent.Failed);
        List<Map<String, Object>> stored = server.messages("lost-reply", cookie);
        assertThat(stored).hasSize(1);
        assertThat(stored.getFirst()).containsEntry("clientId", id).containsEntry("messageId", sent.messageId())
                .containsEntry("seq", sent.seq()).containsEntry("content", "hello once");
    }

    @Test
    void a_send_without_a_live_session_fails_with_401_after_one_attempt_and_stays_pending() throws Exception {
        LinkedBlockingQueue<OutboxEvent> events = new LinkedBlockingQueue<>();
        try (Outbox outbox = Outbox.open(HttpTransport.create(server.uri(), HttpTransport.sessionCookie("not-a-session")), events::add)) {
            String id = outbox.enqueue("no-session", "hello");

            OutboxEvent.Failed failed = awaitFailed(events);

            assertThat(failed.clientId()).isEqualTo(id);
            assertThat(failed.status()).isEqualTo(401);
            assertThat(failed.attempts()).as("a 4xx other than 408/429 is not retried").isEqualTo(1);
            assertThat(outbox.pending()).extracting(OutgoingMessage::clientId).containsExactly(id);
        }
    }

    /** Takes events until {@code count} Sent ones arrived (10 s each at most); fails on a Failed one. */
    private static List<OutboxEvent> awaitSent(LinkedBlockingQueue<OutboxEvent> events, int count) throws InterruptedException {
        List<OutboxEvent> seen = new ArrayList<>();
        while (sent(seen).size() < count) {
            OutboxEvent e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an outbox event after %s", seen).isNotNull();
            assertThat(e).as("after %s", seen).isNotInstanceOf(OutboxEvent.Failed.class);
            seen.add(e);
        }
        return seen;
    }

    private static OutboxEvent.Failed awaitFailed(LinkedBlockingQueue<OutboxEvent> events) throws InterruptedException {
        while (true) {
            OutboxEvent e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an outbox event").isNotNull();
            if (e instanceof OutboxEvent.Failed failed) {
                return failed;
            }
            assertThat(e).isInstanceOf(OutboxEvent.Queued.class);
        }
    }

    private static List<OutboxEvent.Sent> sent(List<OutboxEvent> events) {
        return events.stream().filter(OutboxEvent.Sent.class::isInstance).map(OutboxEvent.Sent.class::cast).toList();
    }
}
