package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CursorTest {
    private static final int ROWS = 5_000;

    @TempDir
    Path dir;

    private static Database seeded(SqlitePool pool) {
        Database db = pool.database("main");
        db.write(s -> {
            for (int i = 0; i < ROWS; i++) {
                s.update("INSERT INTO kv(k, v) VALUES (?, ?)", String.format("k%05d", i), "v" + i);
            }
            return null;
        });
        return db;
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void cursor_reads_every_row_in_pages_of_at_most_the_page_size(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = seeded(pool);
            List<Integer> sizes = new ArrayList<>();
            int rows = 0;
            try (Cursor<String> cursor = db.cursor("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1), 300)) {
                for (List<String> page = cursor.nextPage(); !page.isEmpty(); page = cursor.nextPage()) {
                    sizes.add(page.size());
                    rows += page.size();
                }
            }

            assertThat(rows).isEqualTo(ROWS);
            assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(300));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void the_reader_maps_at_most_one_page_ahead_of_the_consumer(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = seeded(pool);
            AtomicInteger mapped = new AtomicInteger();
            int consumed = 0;
            try (Cursor<String> cursor = db.cursor("SELECT k FROM kv", rs -> {
                mapped.incrementAndGet();
                return rs.getString(1);
            }, 100)) {
                for (List<String> page = cursor.nextPage(); !page.isEmpty(); page = cursor.nextPage()) {
                    consumed += page.size();
                    assertThat(mapped.get()).isLessThanOrEqualTo(consumed + 100);
                }
            }
            assertThat(consumed).isEqualTo(ROWS);
        }
    }

    @Test
    void point_reads_are_served_between_the_pages_of_a_slow_consumer_on_a_single_reader() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(1).build())) {
            Database db = seeded(pool);
            try (Cursor<String> cursor = db.cursor("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1), 100)) {
                assertThat(cursor.nextPage()).hasSize(100);
                for (int i = 0; i < 200; i++) {
                    assertThat(db.queryOne("SELECT v FROM kv WHERE k = ?", rs -> rs.getString(1),
                            String.format("k%05d", i))).contains("v" + i);
                }
                assertThat(cursor.nextPage()).hasSize(100).first().isEqualTo("k00100");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void an_open_cursor_does_not_hide_later_commits_from_point_reads(Mode mode) {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode).readers(1).build())) {
            Database db = seeded(pool);
            try (Cursor<String> cursor = db.cursor("SELECT k FROM kv", rs -> rs.getString(1), 10)) {
                assertThat(cursor.nextPage()).hasSize(10);
                db.update("INSERT INTO kv(k, v) VALUES ('new', 'v')");

                assertThat(db.queryOne("SELECT v FROM kv WHERE k = 'new'", rs -> rs.getString(1))).contains("v");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void iterating_and_streaming_visit_every_row_in_order(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = seeded(pool);
            List<String> iterated = new ArrayList<>();
            String sql = "SELECT k FROM kv ORDER BY k LIMIT 250";
            try (Cursor<String> cursor = db.cursor(sql, rs -> rs.getString(1), 100)) {
                cursor.forEach(iterated::add);
            }
            List<String> streamed;
            try (Stream<String> rows = db.cursor(sql, rs -> rs.getString(1), 100).stream()) {
                streamed = rows.collect(Collectors.toList());
            }

            assertThat(iterated).hasSize(250).isSorted().isEqualTo(streamed);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void close_is_idempotent_and_a_closed_cursor_refuses_more_pages(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = seeded(pool);
            Cursor<String> cursor = db.cursor("SELECT k FROM kv", rs -> rs.getString(1), 10);
            cursor.nextPage();
            cursor.close();
            cursor.close();

            if (mode == Mode.WORKERS) {
                assertThatThrownBy(cursor::nextPage).isInstanceOf(IllegalStateException.class);
            } else {
                assertThat(cursor.nextPage()).isEmpty();
            }
            assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getInt(1))).containsExactly(ROWS);
        }
    }

    private SqlitePool openWithCursorLimit(Mode mode, int limit) {
        return SqlitePool.open(Fixture.config(dir, mode).maxOpenCursors(limit).build());
    }

    private static Cursor<String> keys(Database db) {
        return db.cursor("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1), 10);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_cursor_beyond_the_open_cursor_limit_fails_fast_naming_the_limit(Mode mode) {
        try (SqlitePool pool = openWithCursorLimit(mode, 2)) {
            Database db = seeded(pool);
            try (Cursor<String> first = keys(db); Cursor<String> second = keys(db)) {

                assertThatThrownBy(() -> keys(db)).isInstanceOfSatisfying(PoolSaturatedException.class, e -> {
                    assertThat(e.database()).isEqualTo("main");
                    assertThat(e.depth()).isEqualTo(2);
                    assertThat(e.limit()).isEqualTo(2);
                }).hasMessageContaining("'main'").hasMessageContaining("2 cursors are open")
                        .hasMessageContaining("limit 2").hasMessageContaining("maxOpenCursors");
                assertThat(first.nextPage()).hasSize(10);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closing_a_cursor_frees_its_place_under_the_limit(Mode mode) {
        try (SqlitePool pool = openWithCursorLimit(mode, 1)) {
            Database db = seeded(pool);
            keys(db).close();

            try (Cursor<String> next = keys(db)) {
                assertThat(next.nextPage()).hasSize(10);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_cursor_read_to_its_last_page_frees_its_place_under_the_limit_without_close(Mode mode) {
        try (SqlitePool pool = openWithCursorLimit(mode, 1)) {
            Database db = seeded(pool);
            try (Cursor<String> read = db.cursor("SELECT k FROM kv", rs -> rs.getString(1), 300)) {
                List<String> page;
                do {
                    page = read.nextPage();
                } while (page.size() == 300); // stops at the short last page: no further call, no close yet

                try (Cursor<String> next = keys(db)) {
                    assertThat(next.nextPage()).hasSize(10);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_cursor_that_fails_to_open_frees_its_place_under_the_limit(Mode mode) {
        try (SqlitePool pool = openWithCursorLimit(mode, 1)) {
            Database db = seeded(pool);
            assertThatThrownBy(() -> db.cursor("SELECT nope FROM kv", rs -> rs.getString(1), 10))
                    .isInstanceOf(SqlFailureException.class);

            try (Cursor<String> next = keys(db)) {
                assertThat(next.nextPage()).hasSize(10);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_cursor_dropped_without_close_is_released_and_logged_as_a_leak(Mode mode) throws Exception {
        Logger log = Logger.getLogger("dev.loomlite.sqlite"); // where System.Logger goes without another backend
        List<LogRecord> leaks = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().contains("cursor leaked")) {
                    leaks.add(record);
                    reported.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try (SqlitePool pool = openWithCursorLimit(mode, 1)) {
            Database db = seeded(pool);
            openReadOnePageAndForget(db);

            awaitLeakReport(reported);

            assertThat(leaks).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).contains("'main'").contains("SELECT k FROM kv ORDER BY k");
            });
            try (Cursor<String> next = keys(db)) { // the leaked cursor's place under the limit is free again
                assertThat(next.nextPage()).hasSize(10);
            }
        } finally {
            log.removeHandler(capture);
        }
    }

    /** Opens a cursor, reads one page and keeps no reference: neither closed nor exhausted. */
    private static void openReadOnePageAndForget(Database db) {
        assertThat(keys(db).nextPage()).hasSize(10);
    }

    /** Collects garbage until the cleaner has reported the leak; when it runs is the JVM's business: up to 10 s. */
    private static void awaitLeakReport(CountDownLatch reported) throws InterruptedException {
        for (int attempt = 0; attempt < 100 && reported.getCount() > 0; attempt++) {
            System.gc();
            reported.await(100, TimeUnit.MILLISECONDS);
        }
        assertThat(reported.getCount()).as("the dropped cursor was reported as leaked").isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_bad_statement_fails_when_the_cursor_opens(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.cursor("SELECT nope FROM kv", rs -> rs.getString(1), 10))
                    .isInstanceOf(SqlFailureException.class).hasMessageContaining("nope");
        }
    }
}
