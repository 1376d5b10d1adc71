package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.SendResult;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlFailureException;
import dev.loomlite.sqlite.SqlitePool;
import dev.loomlite.sqlite.WorkerFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a room's senders are told when its write fails in each way, and that the room goes on afterwards. */
class RoomFailureTest {
    @TempDir
    Path dir;
    SqlitePool pool;
    FaultyDatabase db;
    ChatServiceImpl chat;

    @BeforeEach
    void open() {
        pool = SqlitePool.open(PoolConfig.builder(dir).build());
        db = new FaultyDatabase(pool.database(Shards.databaseName(0), Schema.MIGRATIONS));
        chat = new ChatServiceImpl(ChatConfig.defaults().withShards(1), List.of(new MessageStore(db, 0, null)));
    }

    @AfterEach
    void close() {
        chat.close();
        pool.close();
    }

    @Test
    void an_error_in_the_write_answers_the_batch_as_maybe_stored_and_the_room_serves_the_next_send() {
        db.failNextWrite(() -> new OutOfMemoryError("test: no memory left for the batch"));

        assertThatThrownBy(() -> chat.send(request("general", "u1", "c1", "hello")))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("may or may not be stored")
                .hasMessageContaining("no memory left");
        SendResult retried = chat.send(request("general", "u1", "c1", "hello"));

        assertThat(retried.replay()).isFalse();
        assertThat(retried.message().seq()).isEqualTo(1);
        assertThat(chat.metrics().failed()).isEqualTo(1);
    }

    @Test
    void a_pool_failure_of_unknown_outcome_is_reported_as_maybe_stored() {
        db.failNextWrite(() -> new WorkerFailedException("sqlite-writer-0 died during the COMMIT", null, true));

        assertThatThrownBy(() -> chat.send(request("general", "u1", "c1", "hello")))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("may or may not be stored");
    }

    @Test
    void a_pool_failure_after_which_nothing_committed_says_nothing_was_stored() {
        db.failNextWrite(() -> new SqlFailureException("chat-0", "disk I/O error", null));

        assertThatThrownBy(() -> chat.send(request("general", "u1", "c1", "hello")))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("nothing was stored")
                .hasMessageNotContaining("may or may not");
    }

    @Test
    void a_write_still_queued_when_shutdown_cancels_the_room_fails_as_closed_and_counts_as_rejected()
            throws Exception {
        chat.close();
        chat = new ChatServiceImpl(ChatConfig.defaults().withShards(1).withShutdownGrace(Duration.ofMillis(100)),
                List.of(new MessageStore(db, 0, null)));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocker = ChatFixture.blockWriter(db, release);
        try {
            CompletableFuture<SendResult> queued = chat.sendAsync(request("general", "u1", "c1", "hello"));
            ChatFixture.eventually(() -> chat.metrics().queued() == 0); // the loop took it and waits on the writer

            chat.close(); // the grace passes with the writer held: the room loop is interrupted

            assertThat(queued).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(ChatClosedException.class)
                    .withMessageContaining("nothing was stored");
            assertThat(chat.metrics().failed()).isZero();
            assertThat(chat.metrics().rejected()).isEqualTo(1);
        } finally {
            release.countDown();
            blocker.get(10, TimeUnit.SECONDS);
        }
    }
}
