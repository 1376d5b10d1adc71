package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
    void stream_reads_every_row_in_pages_of_at_most_the_page_size(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = seeded(pool);
            List<Integer> sizes = new ArrayList<>();
            int rows = 0;
            try (Cursor<String> cursor = db.stream("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1), 300)) {
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
            try (Cursor<String> cursor = db.stream("SELECT k FROM kv", rs -> {
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
            try (Cursor<String> cursor = db.stream("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1), 100)) {
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
            try (Cursor<String> cursor = db.stream("SELECT k FROM kv", rs -> rs.getString(1), 10)) {
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
            try (Cursor<String> cursor = db.stream(sql, rs -> rs.getString(1), 100)) {
                cursor.forEach(iterated::add);
            }
            List<String> streamed;
            try (Stream<String> rows = db.stream(sql, rs -> rs.getString(1), 100).stream()) {
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
            Cursor<String> cursor = db.stream("SELECT k FROM kv", rs -> rs.getString(1), 10);
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

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_bad_statement_fails_when_the_cursor_opens(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.stream("SELECT nope FROM kv", rs -> rs.getString(1), 10))
                    .isInstanceOf(SqlFailureException.class).hasMessageContaining("nope");
        }
    }
}
