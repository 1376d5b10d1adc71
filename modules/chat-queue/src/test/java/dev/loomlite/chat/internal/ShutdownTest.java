package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.QueueSaturatedException;
import dev.loomlite.chat.SendResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownTest {
    @TempDir
    Path dir;

    @Test
    void shutdown_under_load_gives_every_caller_a_durable_result_or_a_clear_error() throws Exception {
        int senders = 200;
        Map<String, SendResult> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        List<Throwable> unexpected = new ArrayList<>();
        ChatFixture f = new ChatFixture(dir, ChatConfig.defaults().withShards(2).withMaxRoomQueue(50));
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch loaded = new CountDownLatch(500);
            List<Future<?>> calls = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String room = "room-" + (s % 10);
                String author = "u" + s;
                calls.add(threads.submit(() -> {
                    for (int i = 0; ; i++) {
                        String clientId = "c" + i;
                        try {
                            acknowledged.put(author + "/" + clientId, f.chat.send(request(room, author, clientId, "m" + i)));
                            loaded.countDown();
                        } catch (QueueSaturatedException e) {
                            Thread.yield();
                        } catch (ChatClosedException e) {
                            refused.incrementAndGet();
                            return null;
                        } catch (Throwable e) {
                            synchronized (unexpected) {
                                unexpected.add(e);
                            }
                            return null;
                        }
                    }
                }));
            }
            assertThat(loaded.await(20, TimeUnit.SECONDS)).isTrue();
            f.chat.close();
            for (Future<?> c : calls) {
                c.get(20, TimeUnit.SECONDS);
            }
        }
        f.pool.close();

        assertThat(unexpected).isEmpty();
        assertThat(refused).hasValue(senders);
        f.open();
        try {
            for (int r = 0; r < 10; r++) {
                List<ChatMessage> stored = f.all("room-" + r);
                assertThat(stored).extracting(ChatMessage::seq).doesNotHaveDuplicates();
                assertThat(stored.getLast().seq()).isEqualTo(stored.size());
            }
            for (SendResult ack : acknowledged.values()) {
                assertThat(f.all(ack.message().roomId())).contains(ack.message());
            }
        } finally {
            f.close();
        }
    }

    @Test
    void close_is_bounded_by_the_grace_when_a_listener_never_returns() throws Exception {
        ChatFixture f = new ChatFixture(dir, ChatConfig.defaults().withShutdownGrace(java.time.Duration.ofMillis(100)));
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Collector end = new Collector(Long.MAX_VALUE);
        f.chat.subscribe("general", 0, new dev.loomlite.chat.ChatListener() {
            @Override
            public void onMessage(ChatMessage message) {
                blocked.countDown();
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }

            @Override
            public void onClosed(String reason) {
                end.onClosed(reason);
            }
        });
        SendResult sent = f.chat.send(request("general", "u1", "c1", "m"));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

        f.chat.close();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(end.awaitClosed()).isTrue();
        assertThat(end.reason).contains("closing");
        f.pool.close();
        f.open();
        assertThat(f.all("general")).containsExactly(sent.message());
        f.close();
    }

    @Test
    void a_closed_service_refuses_sends_and_subscriptions_clearly() {
        ChatFixture f = new ChatFixture(dir);
        f.chat.close();
        f.chat.close();

        assertThatThrownBy(() -> f.chat.send(request("general", "u1", "c1", "m")))
                .isInstanceOf(ChatClosedException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> f.chat.subscribe("general", 0, new Collector(1)))
                .isInstanceOf(ChatClosedException.class);
        f.pool.close();
    }

    @Test
    void a_second_close_interrupted_while_waiting_keeps_the_interrupt_and_says_so() throws Exception {
        ChatFixture f = new ChatFixture(dir);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        f.chat.subscribe("general", 0, dev.loomlite.chat.ChatListener.of(m -> {
            blocked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        f.chat.send(request("general", "u1", "c1", "m"));
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        Thread first = Thread.ofVirtual().name("first-close").start(f.chat::close);
        ChatFixture.eventually(f.chat::closing); // the first close waits for the blocked subscriber

        Thread.currentThread().interrupt();
        assertThatThrownBy(f.chat::close)
                .isInstanceOf(dev.loomlite.chat.ChatException.class)
                .hasMessageContaining("interrupted while waiting")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();

        release.countDown();
        assertThat(first.join(java.time.Duration.ofSeconds(10))).isTrue();
        f.chat.close(); // returns at once now that the first close ended
        f.pool.close();
    }
}
