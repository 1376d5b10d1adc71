package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MetricsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void metrics_count_completed_failed_rejected_and_timed_out_tasks(Mode mode) throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode).maxQueue(1).build())) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
            db.update("INSERT INTO kv(k, v) VALUES ('b', 'v')");
            assertThatThrownBy(() -> db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')"))
                    .isInstanceOf(SqlFailureException.class);
            db.query("SELECT * FROM kv", rs -> rs.getString(1));
            try (Blocker blocker = Blocker.onThread(db)) {
                Thread queued = Thread.ofVirtual().start(() -> {
                    try {
                        db.withTimeout(Duration.ofMillis(50)).update("INSERT INTO kv(k, v) VALUES ('c', 'v')");
                    } catch (PoolTimeoutException expected) {
                        // counted as timed out
                    }
                });
                assertThat(queued.join(Duration.ofSeconds(5))).isTrue();
                Thread filler = Thread.ofVirtual().start(() -> db.update("INSERT INTO kv(k, v) VALUES ('d', 'v')"));
                Fixture.awaitDepth(pool, "main", PoolMetrics.Kind.WRITE, 1);
                assertThatThrownBy(() -> db.update("INSERT INTO kv(k, v) VALUES ('e', 'v')"))
                        .isInstanceOf(PoolSaturatedException.class);
                blocker.release();
                assertThat(filler.join(Duration.ofSeconds(5))).isTrue();
            }

            PoolMetrics.Lane write = Fixture.lane(pool, "main", PoolMetrics.Kind.WRITE);
            PoolMetrics.Lane read = Fixture.lane(pool, "main", PoolMetrics.Kind.READ);
            assertThat(write.completed()).isEqualTo(4); // a, b, blocker, d
            assertThat(write.failed()).isEqualTo(1);
            assertThat(write.timedOut()).isEqualTo(1);
            assertThat(write.rejected()).isEqualTo(1);
            assertThat(write.queueDepth()).isZero();
            assertThat(read.completed()).isEqualTo(1);
            assertThat(read.execMicros().count()).isEqualTo(1);
            assertThat(write.waitMicros().max()).isGreaterThanOrEqualTo(write.waitMicros().p50());
        }
    }

    @Test
    void group_commit_batch_sizes_and_checkpoint_durations_are_recorded() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS)
                .checkpointInterval(Duration.ofMillis(20)).build())) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
            Fixture.awaitTrue("a checkpoint", () -> pool.metrics().checkpoints().count() > 0);

            assertThat(pool.metrics().batches().count()).isEqualTo(1);
            assertThat(pool.metrics().checkpoints().count()).isPositive();
        }
    }

    @Test
    void the_writer_checkpoints_a_growing_wal_between_batches_of_continuous_writes() throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS)
                .journalSizeLimit(1 << 20).checkpointInterval(Duration.ofMillis(10)).build())) {
            Database db = pool.database("main");
            byte[] blob = new byte[64 * 1024];
            Path wal = Path.of(db.path() + "-wal");
            long previous = 0;
            boolean shrank = false;
            for (int i = 0; i < 500 && !shrank; i++) {
                db.update("INSERT INTO kv(k, v) VALUES (?, ?)", "k" + i, blob);
                long size = java.nio.file.Files.size(wal);
                shrank = size < previous;
                previous = size;
            }

            assertThat(shrank).as("the WAL was checkpointed and reset while writes went on").isTrue();
            assertThat(pool.metrics().checkpoints().count()).isPositive();
        }
    }

    @Test
    void the_wal_is_checkpointed_in_the_background_while_the_writer_is_held_by_a_write() throws Exception {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS)
                .checkpointInterval(Duration.ofMillis(10)).build())) {
            Database db = pool.database("main");
            long before = pool.metrics().checkpoints().count();
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
            try (Blocker writerHeld = new Blocker(db)) {
                Fixture.awaitTrue("a checkpoint after the commit",
                        () -> pool.metrics().checkpoints().count() > before);

                assertThat(pool.metrics().checkpoints().count()).as("checkpoints after the commit").isGreaterThan(before);
                assertThat(writerHeld.done).as("the writer was still held by the blocking write").isNotDone();
            }
        }
    }

    @Test
    void a_task_slower_than_the_threshold_emits_a_jfr_event() throws Exception {
        Path jfr = dir.resolve("slow.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.loomlite.sqlite.SlowTask");
            recording.start();
            try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS)
                    .slowTaskThreshold(Duration.ofMillis(20)).build())) {
                assertThatThrownBy(() -> pool.database("main").withTimeout(Duration.ofMillis(60))
                        .query(Fixture.FOREVER, rs -> rs.getLong(1))).isInstanceOf(PoolTimeoutException.class);
            }
            recording.stop();
            recording.dump(jfr);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr).stream()
                .filter(e -> e.getEventType().getName().equals("dev.loomlite.sqlite.SlowTask"))
                .filter(e -> !e.getString("sql").startsWith("open ")).toList(); // opening may be slow on a busy host
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getString("database")).isEqualTo("main");
            assertThat(e.getString("lane")).isEqualTo("read");
            assertThat(e.getString("sql")).startsWith("WITH RECURSIVE");
            assertThat(e.getString("outcome")).isEqualTo("PoolTimeoutException");
        });
    }
}
