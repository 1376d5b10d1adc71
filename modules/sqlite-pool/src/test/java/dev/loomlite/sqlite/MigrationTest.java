package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Fixture.Mode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationTest {
    @TempDir
    Path dir;

    private static final Migration USERS =
            Migration.sql(1, "users", "CREATE TABLE user(id INTEGER PRIMARY KEY, name TEXT)");
    private static final Migration EMAIL = Migration.sql(2, "email", "ALTER TABLE user ADD COLUMN email TEXT");
    private static final Migration BROKEN = Migration.sql(3, "broken", "CREATE TABLE x(", "nonsense");

    private static int userVersion(Database db) {
        return db.queryOne("PRAGMA user_version", rs -> rs.getInt(1)).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void migrations_run_in_version_order_and_set_user_version(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            Database db = pool.database("app", List.of(EMAIL, USERS));
            db.insert("INSERT INTO user(name, email) VALUES ('ann', 'a@x')");

            assertThat(userVersion(db)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_failing_migration_rolls_back_every_pending_step(Mode mode) {
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            assertThatThrownBy(() -> pool.database("app", List.of(USERS, EMAIL, BROKEN)))
                    .isInstanceOf(PoolException.class)
                    .hasMessageContaining("migration 3 (broken)").hasMessageContaining("user_version stays 0");

            Database plain = pool.database("app", List.of());
            assertThat(userVersion(plain)).isZero();
            assertThat(plain.query("SELECT name FROM sqlite_master WHERE name = 'user'", rs -> rs.getString(1)))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void a_migration_that_throws_an_error_leaves_the_file_unlocked_and_unchanged(Mode mode) {
        Migration fatal = new Migration(2, "fatal", session -> {
            session.update("CREATE TABLE half(id INTEGER)");
            throw new AssertionError("injected");
        });
        try (SqlitePool pool = Fixture.open(dir, mode)) {
            assertThatThrownBy(() -> pool.database("app", List.of(USERS, fatal))).isInstanceOf(Throwable.class);

            Database plain = pool.database("app", List.of());
            plain.update("CREATE TABLE after(id INTEGER)"); // the write lock is free
            assertThat(userVersion(plain)).isZero();
            assertThat(plain.query("SELECT name FROM sqlite_master WHERE name IN ('user', 'half')", rs -> rs.getString(1)))
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void migrations_sort_in_temporary_files_and_the_connection_keeps_memory_temp_store_afterwards(Mode mode) {
        AtomicLong during = new AtomicLong(-1);
        Migration probe = new Migration(1, "probe temp_store", s -> {
            during.set(s.queryOne("PRAGMA temp_store", rs -> rs.getLong(1)).orElseThrow());
            return null;
        });
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir, mode).migrations(List.of()).build())) {
            Database db = pool.database("probe", List.of(probe));

            long after = db.write(s -> s.queryOne("PRAGMA temp_store", rs -> rs.getLong(1)).orElseThrow());

            assertThat(during.get()).as("temp_store during migrations (1 = FILE)").isEqualTo(1);
            assertThat(after).as("temp_store afterwards (2 = MEMORY)").isEqualTo(2);
        }
    }

    @Test
    void applied_migrations_are_skipped_when_the_file_is_reopened() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            pool.database("app", List.of(USERS)).insert("INSERT INTO user(name) VALUES ('ann')");
        }
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("app", List.of(USERS, EMAIL));

            assertThat(db.query("SELECT name FROM user", rs -> rs.getString(1))).containsExactly("ann");
            assertThat(userVersion(db)).isEqualTo(2);
        }
    }

    @Test
    void naming_an_open_database_with_other_migrations_is_rejected() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            pool.database("app", List.of(USERS));

            assertThat(pool.database("app", List.of(USERS)).name()).isEqualTo("app");
            assertThatThrownBy(() -> pool.database("app", List.of(USERS, EMAIL)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'app'");
        }
    }

    @Test
    void the_configuration_migrations_apply_to_databases_named_without_their_own() {
        try (SqlitePool pool = Fixture.open(dir, Mode.WORKERS)) {
            Database db = pool.database("main");

            assertThat(userVersion(db)).isEqualTo(1);
            assertThat(db.query("SELECT count(*) FROM kv", rs -> rs.getInt(1))).containsExactly(0);
        }
    }
}
