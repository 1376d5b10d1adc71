package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Blocker;
import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** insert() returns the rowid of the row its own statement inserted, or fails: never an earlier insert's id. */
class InsertTest {
    static final List<Migration> SCHEMA = List.of(Migration.sql(1, "tags",
            "CREATE TABLE tag(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, hits INTEGER NOT NULL DEFAULT 0)"),
            Migration.sql(2, "pairs", "CREATE TABLE pair(a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID"));
    static final String UPSERT = "INSERT INTO tag(name) VALUES (?) ON CONFLICT(name) DO UPDATE SET hits = hits + 1";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_fails_when_an_upsert_updates_instead_of_inserting(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("tags", SCHEMA);
            db.insert(UPSERT, "a");
            db.insert(UPSERT, "b");

            assertThatThrownBy(() -> db.insert(UPSERT, "a"))
                    .isInstanceOf(SqlFailureException.class).hasMessageContaining("no new rowid");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_refused_upsert_insert_leaves_no_change(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("tags", SCHEMA);
            db.insert(UPSERT, "a");

            assertThatThrownBy(() -> db.insert(UPSERT, "a")).isInstanceOf(SqlFailureException.class);
            assertThat(db.query("SELECT hits FROM tag WHERE name = 'a'", rs -> rs.getInt(1))).containsExactly(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_fails_for_a_without_rowid_table(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("tags", SCHEMA);
            db.insert(UPSERT, "a");

            assertThatThrownBy(() -> db.insert("INSERT INTO pair(a, b) VALUES ('x', 'y')"))
                    .isInstanceOf(SqlFailureException.class).hasMessageContaining("no new rowid");
            assertThat(db.query("SELECT count(*) FROM pair", rs -> rs.getInt(1))).containsExactly(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_in_a_work_unit_fails_when_an_upsert_updates_instead_of_inserting(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("tags", SCHEMA);
            db.insert(UPSERT, "a");

            assertThatThrownBy(() -> db.write(s -> {
                s.insert(UPSERT, "b");
                return s.insert(UPSERT, "a");
            })).isInstanceOf(SqlFailureException.class).hasMessageContaining("no new rowid");
            assertThat(db.query("SELECT name FROM tag ORDER BY name", rs -> rs.getString(1))).containsExactly("a");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_returns_a_rowid_reused_after_the_previous_row_was_deleted(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("tags", SCHEMA);
            long first = db.insert("INSERT INTO tag(name) VALUES ('job')");
            db.update("DELETE FROM tag WHERE id = ?", first);

            long second = db.insert("INSERT INTO tag(name) VALUES ('job')");

            assertThat(second).isEqualTo(first);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void insert_returns_its_rowid_after_the_first_insert_of_the_connection_was_rolled_back(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("tags", SCHEMA);
            assertThatThrownBy(() -> db.write(s -> {
                s.insert("INSERT INTO tag(name) VALUES ('undone')");
                throw new java.sql.SQLException("roll back");
            })).isInstanceOf(SqlFailureException.class);

            assertThat(db.insert("INSERT INTO tag(name) VALUES ('kept')")).isEqualTo(1);
        }
    }

    @Test
    void a_refused_upsert_in_a_group_never_returns_another_callers_id_and_the_others_commit() throws Exception {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("tags", SCHEMA);
            db.insert(UPSERT, "a");
            CompletableFuture<Long> other;
            CompletableFuture<Long> upsert;
            CompletableFuture<Long> after;
            try (var _ = new Blocker(db)) {
                other = db.writeAsync(s -> s.insert(UPSERT, "b"));
                upsert = db.writeAsync(s -> s.insert(UPSERT, "a"));
                after = db.writeAsync(s -> s.insert(UPSERT, "c"));
            }

            assertThat(upsert).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SqlFailureException.class);
            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }
}
