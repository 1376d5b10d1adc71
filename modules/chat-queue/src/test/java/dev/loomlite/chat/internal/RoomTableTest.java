package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomTableTest {
    /** Room loops end as soon as their queue is empty, so rooms go idle (and retire) all the time. */
    static final ChatConfig EAGER = ChatConfig.defaults().withIdleRoomTimeout(Duration.ofNanos(1));

    @TempDir
    Path dir;

    @Test
    void rooms_with_no_queue_loop_or_subscriber_leave_the_table() throws Exception {
        try (ChatFixture f = new ChatFixture(dir, EAGER)) {
            for (int i = 0; i < 50; i++) {
                f.chat.send(request("sent-" + i, "u1", "c" + i, "m"));
                f.chat.subscribe("watched-" + i, 0, new Collector(Long.MAX_VALUE)).close();
            }
            Subscription kept = f.chat.subscribe("kept", 0, new Collector(Long.MAX_VALUE));

            ChatFixture.eventually(() -> f.chat.roomsInUse() == 1);
            assertThat(f.chat.room("kept").hub.size()).isEqualTo(1);
            kept.close();
            ChatFixture.eventually(() -> f.chat.roomsInUse() == 0);
            assertThat(f.chat.send(request("sent-0", "u1", "again", "m")).message().seq()).isEqualTo(2);
        }
    }

    @Test
    void a_room_fetched_before_it_retired_refuses_work_so_the_caller_takes_a_fresh_one() {
        try (ChatFixture f = new ChatFixture(dir)) {
            Room stale = f.chat.room("general");
            assertThat(stale.retireIfIdle()).isTrue();
            assertThat(f.chat.roomsInUse()).isZero();

            Pending late = new Pending(request("general", "u1", "c1", "m"));
            assertThat(stale.enqueue(late)).isEqualTo(Room.Admission.RETIRED);
            LiveSubscription subscriber = new LiveSubscription(stale.id, RoomReader.local(stale.store, stale.id), 0,
                    new Collector(1), 8, (s, d) -> { });
            assertThat(stale.addSubscriber(subscriber)).isFalse();
            assertThat(stale.queued()).isZero();

            SendResult sent = f.chat.send(late.request());
            assertThat(sent.message().seq()).isEqualTo(1);
            assertThat(f.chat.room("general")).isNotSameAs(stale);
        }
    }

    @Test
    void sends_and_subscriptions_racing_with_room_retirement_lose_nothing() throws Exception {
        int senders = 8;
        int perSender = 100;
        int total = senders * perSender;
        try (ChatFixture f = new ChatFixture(dir, EAGER); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CyclicBarrier start = new CyclicBarrier(senders + 1);
            AtomicBoolean sending = new AtomicBoolean(true);
            List<Future<?>> calls = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String author = "u" + s;
                calls.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < perSender; i++) {
                        f.chat.send(request("general", author, "c" + i, "m" + i));
                    }
                    return null;
                }));
            }
            // Subscriptions come and go meanwhile: each joins at the current end and must see no gap.
            Future<List<Collector>> churn = threads.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                List<Collector> seen = new ArrayList<>();
                while (sending.get()) {
                    long after = f.chat.rooms().stream().mapToLong(r -> r.lastSeq()).max().orElse(0);
                    Collector c = new Collector(after + 1);
                    Subscription s = f.chat.subscribe("general", after, c);
                    c.reached.await(50, TimeUnit.MILLISECONDS);
                    s.close();
                    assertThat(c.awaitClosed()).isTrue();
                    seen.add(c);
                }
                return seen;
            });
            for (Future<?> c : calls) {
                c.get(30, TimeUnit.SECONDS);
            }
            sending.set(false);
            for (Collector c : churn.get(30, TimeUnit.SECONDS)) {
                List<Long> seqs = c.seqs();
                if (!seqs.isEmpty()) {
                    assertThat(seqs).containsExactlyElementsOf(
                            LongStream.rangeClosed(seqs.getFirst(), seqs.getLast()).boxed().toList());
                }
            }

            assertThat(f.all("general")).extracting(ChatMessage::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            Collector last = new Collector(total);
            Subscription s = f.chat.subscribe("general", 0, last);
            assertThat(last.awaitSeq()).isTrue();
            assertThat(last.seqs()).hasSize(total);
            s.close();
            ChatFixture.eventually(() -> f.chat.roomsInUse() == 0);
            assertThat(f.chat.metrics().accepted()).isEqualTo(total);
        }
    }
}
