package dev.loomlite.bench.faults;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Rows of a stopped server's data folder, read from its SQLite files (read-only): messages over every chat shard
 * ({@code chat-N.db}) and sessions ({@code server.db}).
 */
record RowCounts(long messages, long sessions) {
    static RowCounts of(Path data) throws IOException {
        long messages = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(data, "chat-*.db")) {
            for (Path shard : shards) {
                messages += count(shard, "messages");
            }
        }
        return new RowCounts(messages, count(data.resolve("server.db"), "session"));
    }

    private static long count(Path file, String table) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IOException("counting " + table + " in " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "messages " + messages + " sessions " + sessions;
    }
}
