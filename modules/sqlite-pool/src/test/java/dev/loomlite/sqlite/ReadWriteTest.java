package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReadWriteTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_that_inserts_no_row_fails_instead_of_returning_an_earlier_rowid(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            db.insert("INSERT INTO kv(k, v) VALUES (?, ?)", "a", "1");

            assertThatThrownBy(() -> db.insert("INSERT OR IGNORE INTO kv(k, v) VALUES (?, ?)", "a", "2"))
                    .isInstanceOf(SqlFailureException.class).hasMessageContaining("inserted no row");
            assertThat(db.query("SELECT v FROM kv", rs -> rs.getString(1))).containsExactly("1");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_returns_the_new_rowid_and_query_maps_every_row(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            long first = db.insert("INSERT INTO kv(k, v) VALUES (?, ?)", "a", "1");
            long second = db.insert("INSERT INTO kv(k, v) VALUES (?, ?)", "b", "2");

            assertThat(second).isEqualTo(first + 1);
            assertThat(db.query("SELECT k || '=' || v FROM kv ORDER BY k", rs -> rs.getString(1)))
                    .containsExactly("a=1", "b=2");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void update_returns_the_number_of_changed_rows(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', '1'), ('b', '1'), ('c', '2')");

            assertThat(db.update("UPDATE kv SET v = ? WHERE v = ?", "x", "1")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void queryOne_maps_the_first_row_or_returns_empty(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', '1')");

            assertThat(db.queryOne("SELECT v FROM kv WHERE k = ?", rs -> rs.getString(1), "a")).contains("1");
            assertThat(db.queryOne("SELECT v FROM kv WHERE k = ?", rs -> rs.getString(1), "zz")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void writeQuery_returns_the_rows_of_a_returning_clause_once_committed(Mode mode) throws Exception {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            List<String> returned = db.writeQuery("INSERT INTO kv(k, v) VALUES (?, ?) RETURNING k || ':' || v",
                    rs -> rs.getString(1), "a", "1");

            assertThat(returned).containsExactly("a:1");
            assertThat(Fixture.committedRows(db.path())).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void with_and_pragma_statements_are_routed_by_method_not_by_sql(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            db.update("WITH v(x) AS (SELECT 'w') INSERT INTO kv(k, v) SELECT x, x FROM v");

            assertThat(db.query("WITH n AS (SELECT count(*) AS c FROM kv) SELECT c FROM n", rs -> rs.getInt(1)))
                    .containsExactly(1);
            assertThat(db.queryOne("PRAGMA journal_mode", rs -> rs.getString(1))).contains("wal");
            assertThat(db.queryOne("PRAGMA foreign_keys", rs -> rs.getInt(1))).contains(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void write_work_commits_all_its_statements_when_it_returns(Mode mode) throws Exception {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            long count = db.write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('a', '1')");
                s.update("INSERT INTO kv(k, v) VALUES ('b', '2')");
                return s.queryOne("SELECT count(*) FROM kv", rs -> rs.getLong(1)).orElseThrow();
            });

            assertThat(count).isEqualTo(2);
            assertThat(Fixture.committedRows(db.path())).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void write_work_rolls_back_every_statement_when_it_throws(Mode mode) throws Exception {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            assertThatThrownBy(() -> db.write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('a', '1')");
                throw new IllegalStateException("business rule");
            })).isInstanceOf(SqlFailureException.class).hasMessageContaining("business rule");

            assertThat(Fixture.committedRows(db.path())).isZero();
            assertThat(db.query("SELECT k FROM kv", rs -> rs.getString(1))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void constraint_violation_is_a_sql_failure_naming_the_database(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', '1')");

            assertThatThrownBy(() -> db.update("INSERT INTO kv(k, v) VALUES ('a', '2')"))
                    .isInstanceOfSatisfying(SqlFailureException.class, e -> {
                        assertThat(e.isConstraintViolation()).isTrue();
                        assertThat(e.database()).isEqualTo("main");
                    })
                    .hasMessageContaining("'main'");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void read_work_runs_its_statements_on_one_snapshot(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            db.update("INSERT INTO kv(k, v) VALUES ('a', '1')");
            List<Long> counts = db.read(s -> List.of(
                    s.queryOne("SELECT count(*) FROM kv", rs -> rs.getLong(1)).orElseThrow(),
                    s.queryOne("SELECT count(*) FROM kv", rs -> rs.getLong(1)).orElseThrow()));

            assertThat(counts).containsExactly(1L, 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void async_write_completes_after_its_commit(Mode mode) throws Exception {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");
            Object rowid = db.writeAsync(s -> s.insert("INSERT INTO kv(k, v) VALUES ('a', '1')"))
                    .get(5, TimeUnit.SECONDS);

            assertThat(rowid).isEqualTo(1L);
            assertThat(Fixture.committedRows(db.path())).isEqualTo(1);
            assertThat(db.readAsync(s -> s.query("SELECT k FROM kv", rs -> rs.getString(1)))
                    .get(5, TimeUnit.SECONDS)).containsExactly("a");
        }
    }

    @Test
    void reads_run_on_reader_threads_and_writes_on_the_writer_thread() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            String reader = db.read(s -> Thread.currentThread().getName());
            String writer = db.write(s -> Thread.currentThread().getName());
            Optional<Boolean> virtual = Optional.of(db.read(s -> Thread.currentThread().isVirtual()));

            assertThat(reader).startsWith("sqlite-reader-");
            assertThat(writer).isEqualTo("sqlite-writer-0");
            assertThat(virtual).contains(false);
        }
    }

    @Test
    void a_reader_connection_refuses_to_write() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.read(s -> s.update("INSERT INTO kv(k, v) VALUES ('a', '1')")))
                    .isInstanceOf(SqlFailureException.class);
        }
    }

    @Test
    void a_task_calling_back_into_the_pool_is_refused_instead_of_deadlocking() {
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, Mode.WORKERS).readers(1).build())) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.read(s -> db.query("SELECT 1", rs -> rs.getInt(1))))
                    .hasRootCauseInstanceOf(IllegalStateException.class).hasMessageContaining("use the task's Session");
            assertThat(db.query("SELECT 1", rs -> rs.getInt(1))).containsExactly(1);
        }
    }

    @Test
    void callbacks_chained_on_an_async_result_never_run_on_a_pool_thread() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Thread> callback = db.readAsync(s -> {
                try {
                    attached.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 1;
            }).thenApply(one -> Thread.currentThread());
            attached.countDown();
            Thread callbackThread = callback.get(5, TimeUnit.SECONDS);

            assertThat(callbackThread.getName()).doesNotStartWith("sqlite-reader");
            assertThat(callbackThread.isVirtual()).isTrue();
        }
    }
}
