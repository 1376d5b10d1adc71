package dev.loomlite.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.sqlite.Fixture.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background checkpointer copies the WAL back into the database file beside the writer. */
class CheckpointerTest {
    private static final int BLOB = 256 * 1024;
    private static final int BLOBS = 8;

    @TempDir
    Path dir;

    @Test
    void a_checkpoint_held_back_by_a_reader_is_finished_once_the_reader_leaves_without_another_write()
            throws Exception {
        // Without mmap: with it, a checkpoint first extends the file to its final size (to map it) before it
        // copies anything, and the file's size would no longer tell what was copied.
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).mmapSize(0)
                .checkpointInterval(Duration.ofMillis(10)).build())) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('first', 'v')");
            CountDownLatch reading = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Long> reader = db.readAsync(s -> {
                long rows = s.queryOne("SELECT count(*) FROM kv", rs -> rs.getLong(1)).orElseThrow();
                reading.countDown(); // its snapshot predates the blobs below: their frames must stay in the WAL
                try {
                    release.await(10, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return rows;
            });
            assertThat(reading.await(5, SECONDS)).isTrue();
            long before = size(db.path());
            for (int i = 0; i < BLOBS; i++) {
                db.update("INSERT INTO kv(k, v) VALUES (?, ?)", "blob-" + i, "x".repeat(BLOB));
            }
            long checkpoints = pool.metrics().checkpoints().count();
            Fixture.awaitTrue("two checkpoints while the reader holds its snapshot",
                    () -> pool.metrics().checkpoints().count() > checkpoints + 1);

            assertThat(size(db.path())).as("frames the reader may still need stay in the WAL")
                    .isLessThan(before + (long) BLOB * BLOBS);
            release.countDown();
            assertThat(reader.get(10, SECONDS)).isEqualTo(1);
            Fixture.awaitTrue("the frames copied once the reader left",
                    () -> size(db.path()) >= before + (long) BLOB * BLOBS);
        }
    }

    @Test
    void in_direct_mode_the_wal_is_bounded_by_checkpoints_in_the_committing_call() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.DIRECT).build())) {
            Database db = pool.database("main");
            for (int i = 0; i < 40; i++) { // 10 MiB in all, well past SQLite's 1000-page automatic checkpoint
                db.update("INSERT INTO kv(k, v) VALUES (?, ?)", "blob-" + i, "x".repeat(BLOB));
            }

            assertThat(size(Path.of(db.path() + "-wal"))).as("WAL after 10 MiB of commits")
                    .isLessThan(40L * BLOB);
            assertThat(size(db.path())).as("database file").isGreaterThan(4L * BLOB);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
