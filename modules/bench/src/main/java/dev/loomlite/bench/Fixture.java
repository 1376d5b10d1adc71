package dev.loomlite.bench;

import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import dev.loomlite.sqlite.Synchronous;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * The benchmark data: a database file {@code items.db} with {@link #ROWS} rows, and connections opened with
 * the same settings as the pool's (WAL, {@link #SYNCHRONOUS}), so raw baselines and the pool compare fairly.
 */
final class Fixture {
    static final int ROWS = 100_000;
    static final String NAME = "items";
    static final String POINT_READ = "SELECT name FROM item WHERE id = ?";
    static final String INSERT = "INSERT INTO event(item, payload) VALUES (?, ?)";
    static final List<Migration> SCHEMA = List.of(
            Migration.sql(1, "items", "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL)"),
            Migration.sql(2, "events", "CREATE TABLE event(id INTEGER PRIMARY KEY, item INTEGER NOT NULL, payload TEXT NOT NULL)"));

    /**
     * {@code -Dloomlite.bench.synchronous=FULL|NORMAL}, for the pool and the raw baselines alike; NORMAL unless
     * given (the pool's default is FULL), so that the numbers in BENCHMARKS.md stay comparable.
     */
    static final Synchronous SYNCHRONOUS = Synchronous.valueOf(System.getProperty("loomlite.bench.synchronous", "NORMAL"));

    private Fixture() {
    }

    /** A fresh directory holding {@code items.db} filled with {@link #ROWS} items. */
    static Path create() {
        try {
            Path dir = Files.createTempDirectory("loomlite-bench");
            try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).synchronous(SYNCHRONOUS).build())) {
                pool.database(NAME, SCHEMA).write(session -> {
                    for (int id = 1; id <= ROWS; id++) {
                        session.update("INSERT INTO item(id, name, qty) VALUES (?, ?, ?)", id, "item-" + id, id % 97);
                    }
                    return null;
                });
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PoolConfig.Builder config(Path dir) {
        return PoolConfig.builder(dir).migrations(SCHEMA).maxQueue(100_000).synchronous(SYNCHRONOUS);
    }

    /** A raw sqlite-jdbc connection with the pool's production settings. */
    static Connection connect(Path dir, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SYNCHRONOUS == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-16_000);
        config.setReadOnly(readOnly);
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(NAME + ".db"), config.toProperties());
    }

    static long pointRead(PreparedStatement statement, long id) throws SQLException {
        statement.setLong(1, id);
        try (var rs = statement.executeQuery()) {
            return rs.next() ? rs.getString(1).length() : -1;
        }
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
