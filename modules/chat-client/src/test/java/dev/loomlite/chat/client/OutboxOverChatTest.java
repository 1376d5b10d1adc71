package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against the real pipeline: a reply lost after the server stored the message is not a duplicate. */
class OutboxOverChatTest {
    @TempDir
    Path dir;

    @Test
    void a_retry_after_a_lost_reply_is_a_replay_and_stores_one_message() throws Exception {
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).build());
             ChatService chat = ChatService.open(ChatConfig.defaults(), pool)) {
            AtomicInteger calls = new AtomicInteger();
            Transport lossy = m -> {
                SendResult r = chat.send(new SendRequest(m.roomId(), "u1", "Alice", m.clientId(), m.content(), m.replyToId()));
                if (calls.incrementAndGet() == 1) {
                    throw TransportException.network("connection reset after the server stored it", null);
                }
                return r;
            };
            LinkedBlockingQueue<OutboxEvent> events = new LinkedBlockingQueue<>();
            try (Outbox outbox = Outbox.builder(lossy).listener(events::add)
                    .config(OutboxConfig.defaults().withInitialBackoff(Duration.ofMillis(1))).open()) {
                String first = outbox.enqueue("general", "hello");
                String second = outbox.enqueue("general", "world");

                OutboxEvent.Sent a = awaitSent(events);
                OutboxEvent.Sent b = awaitSent(events);

                assertThat(a.clientId()).isEqualTo(first);
                assertThat(a.replay()).isTrue();
                assertThat(b.clientId()).isEqualTo(second);
                assertThat(b.seq()).isEqualTo(a.seq() + 1);
            }
            assertThat(chat.history("general", HistoryQuery.latest(10)).messages())
                    .extracting(ChatMessage::content).containsExactly("hello", "world");
            assertThat(calls).hasValue(3);
        }
    }

    private static OutboxEvent.Sent awaitSent(LinkedBlockingQueue<OutboxEvent> events) throws InterruptedException {
        while (true) {
            OutboxEvent e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an outbox event").isNotNull();
            if (e instanceof OutboxEvent.Sent sent) {
                return sent;
            }
            assertThat(e).isInstanceOf(OutboxEvent.Queued.class);
        }
    }
}
