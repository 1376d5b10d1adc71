package dev.loomlite.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A pool and a service over SQLite files in a test's directory; reopenable to test restarts. */
final class ChatFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final ChatConfig config;
    SqlitePool pool;
    ChatServiceImpl chat;

    ChatFixture(Path dir, ChatConfig config) {
        this.dir = dir;
        this.config = config;
        open();
    }

    ChatFixture(Path dir) {
        this(dir, ChatConfig.defaults());
    }

    void open() {
        // A deadline far beyond any wait in the tests: a loaded CI machine must not turn into a pool timeout.
        pool = SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
        chat = ChatServiceImpl.open(config, pool);
    }

    /** Closes service and pool, then opens both again on the same files. */
    void restart() {
        close();
        open();
    }

    /** Every stored message of a room, ascending. */
    List<ChatMessage> all(String room) {
        List<ChatMessage> out = new ArrayList<>();
        long after = 0;
        while (true) {
            var page = chat.history(room, HistoryQuery.after(after, HistoryQuery.MAX_LIMIT));
            out.addAll(page.messages());
            if (!page.hasMore()) {
                return out;
            }
            after = out.getLast().seq();
        }
    }

    static SendRequest request(String room, String author, String clientId, String content) {
        return SendRequest.of(room, author, "name-" + author, clientId, content);
    }

    /** Waits for a condition that other threads make true (polls; for counters with no event to wait on). */
    static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", WAIT).isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Holds the database's writer inside a write until {@code release}; returns once it is held. */
    static CompletableFuture<Boolean> blockWriter(Database db, CountDownLatch release) throws InterruptedException {
        CountDownLatch writerBlocked = new CountDownLatch(1);
        CompletableFuture<Boolean> blocker = db.writeAsync(s -> {
            writerBlocked.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(writerBlocked.await(10, TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    @Override
    public void close() {
        chat.close();
        pool.close();
    }
}
