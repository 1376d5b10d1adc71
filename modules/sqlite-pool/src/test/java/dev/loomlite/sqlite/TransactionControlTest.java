package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Transaction control belongs to the pool: statements that would end or split its transaction are refused. */
class TransactionControlTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"COMMIT", "commit transaction", "END", "ROLLBACK", "BEGIN", "BEGIN IMMEDIATE",
            "SAVEPOINT s", "RELEASE s", "RELEASE SAVEPOINT s", "ROLLBACK TO s", "  \n\tCommit",
            "-- a comment\nCOMMIT", "/* a comment */ COMMIT", "/* one */ -- two\n /**/COMMIT;"})
    void update_refuses_transaction_control_naming_the_statement(String sql) {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.update(sql))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(sql.strip());
        }
    }

    @Test
    void insert_and_write_query_refuse_transaction_control() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.insert("ROLLBACK")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> db.writeQuery("END", rs -> rs.getLong(1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_work_unit_running_commit_fails_alone_and_commits_nothing(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.write(s -> {
                s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')");
                return s.update("COMMIT");
            })).isInstanceOf(SqlFailureException.class).hasMessageContaining("COMMIT");
            assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getLong(1))).containsExactly(0L);
        }
    }

    @Test
    void a_commit_through_the_raw_connection_of_a_work_unit_fails_it_alone_and_the_others_commit_once()
            throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            CompletableFuture<Object> before;
            CompletableFuture<Object> raw;
            CompletableFuture<Object> after;
            try (var _ = new Blocker(db)) {
                before = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')"));
                raw = db.writeAsync(s -> {
                    s.update("INSERT INTO kv(k, v) VALUES ('b', 'v')");
                    try (var st = s.connection().createStatement()) {
                        return st.execute("COMMIT");
                    }
                });
                after = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('c', 'v')"));
            }

            assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(raw).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SqlFailureException.class).withMessageContaining("COMMIT");
            assertThat(db.query("SELECT k FROM kv ORDER BY k", rs -> rs.getString(1))).containsExactly("a", "c");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void the_raw_connection_of_a_work_unit_refuses_commit_rollback_and_auto_commit(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("main");

            assertThatThrownBy(() -> db.write(s -> {
                s.connection().commit();
                return null;
            })).isInstanceOf(SqlFailureException.class).hasMessageContaining("commit() is refused");
            assertThatThrownBy(() -> db.write(s -> {
                s.connection().setAutoCommit(true);
                return null;
            })).isInstanceOf(SqlFailureException.class).hasMessageContaining("setAutoCommit() is refused");
            assertThatThrownBy(() -> db.write(s -> s.connection().prepareStatement("ROLLBACK").execute()))
                    .isInstanceOf(SqlFailureException.class).hasMessageContaining("ROLLBACK");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO kv(k, v) VALUES ('commit', 'end')", "/* COMMIT */ UPDATE kv SET v = 'x'",
            "-- ROLLBACK\nDELETE FROM kv", "WITH c AS (SELECT 1) DELETE FROM kv",
            "REPLACE INTO kv(k, v) VALUES ('b', 'v')"})
    void ordinary_statements_that_mention_transaction_words_run(String sql) {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThatCode(() -> db.update(sql)).doesNotThrowAnyException();
        }
    }

    @Test
    void a_commit_queued_between_writes_is_refused_and_the_others_commit_as_one_group() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");
            CompletableFuture<Object> before;
            CompletableFuture<Integer> commit = new CompletableFuture<>();
            CompletableFuture<Object> after;
            try (var _ = new Blocker(db)) {
                before = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('a', 'v')"));
                Thread.ofVirtual().start(() -> {
                    try {
                        commit.complete(db.update("COMMIT"));
                    } catch (RuntimeException e) {
                        commit.completeExceptionally(e);
                    }
                });
                Fixture.awaitTrue("COMMIT refused or queued",
                        () -> commit.isDone() || Fixture.depth(pool, "main", PoolMetrics.Kind.WRITE) == 2);
                after = db.writeAsync(s -> s.update("INSERT INTO kv(k, v) VALUES ('c', 'v')"));
            }

            assertThat(before.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(commit).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(IllegalArgumentException.class);
            assertThat(Fixture.committedRows(db.path())).isEqualTo(2);
        }
    }
}
