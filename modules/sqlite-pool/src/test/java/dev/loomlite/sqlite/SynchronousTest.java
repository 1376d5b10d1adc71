package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.sqlite.Fixture.Mode;
import dev.loomlite.sqlite.testing.OpenedConnections;
import dev.loomlite.sqlite.testing.OpenedConnections.Opened;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every connection the pool opens runs with the configured {@code synchronous}, as SQLite itself reports it. */
class SynchronousTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Synchronous.class)
    void writer_readers_and_checkpointer_report_the_configured_level(Synchronous level) throws Exception {
        String name = "sync_" + level.name().toLowerCase(java.util.Locale.ROOT);
        try (OpenedConnections opened = OpenedConnections.start();
             SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).synchronous(level)
                     .checkpointInterval(Duration.ofMillis(10)).build())) {
            Database db = pool.database(name);
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'b')");                  // writer, then the checkpointer
            assertThat(db.query("SELECT v FROM kv", rs -> rs.getString(1))).containsExactly("b"); // a reader
            try (Cursor<String> cursor = db.cursor("SELECT k FROM kv", rs -> rs.getString(1), 10)) { // its own reader
                assertThat(cursor.iterator().next()).isEqualTo("a");
            }

            List<Opened> connections = opened.await(name, List.of("writer", "reader", "checkpointer"), Duration.ofSeconds(20));

            assertThat(connections).allSatisfy(c -> {
                assertThat(c.synchronous()).as(c.toString()).isEqualTo(level.name());
                assertThat(c.journalMode()).as(c.toString()).isEqualTo("wal");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Synchronous.class)
    void direct_mode_connections_report_the_configured_level(Synchronous level) throws Exception {
        String name = "direct_" + level.name().toLowerCase(java.util.Locale.ROOT);
        try (OpenedConnections opened = OpenedConnections.start();
             SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.DIRECT).synchronous(level).build())) {
            Database db = pool.database(name);
            db.update("INSERT INTO kv(k, v) VALUES ('a', 'b')");
            assertThat(db.query("SELECT v FROM kv", rs -> rs.getString(1))).containsExactly("b");

            List<Opened> connections = opened.await(name, List.of("writer", "reader"), Duration.ofSeconds(20));

            assertThat(connections).extracting(Opened::synchronous).containsOnly(level.name());
        }
    }
}
