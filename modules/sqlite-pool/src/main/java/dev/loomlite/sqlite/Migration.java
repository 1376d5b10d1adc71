package dev.loomlite.sqlite;

import java.util.List;
import java.util.Objects;

/**
 * One versioned schema step. At open, the writer runs, in one transaction, every migration whose version is
 * above the file's {@code PRAGMA user_version}, in version order, then sets {@code user_version} to the
 * highest; a failing step rolls back all of them and the open fails.
 *
 * <pre>{@code
 * List<Migration> schema = List.of(
 *     Migration.sql(1, "messages", "CREATE TABLE message(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"),
 *     Migration.sql(2, "message index", "CREATE INDEX message_body ON message(body)"));
 * }</pre>
 *
 * @param version     a positive version, unique within a configuration
 * @param description what the step does, for logs and errors
 * @param work        the step, run on the writer inside the migration transaction
 */
public record Migration(int version, String description, Work<?> work) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration version must be >= 1, was " + version);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(work, "work");
    }

    /** A migration made of SQL statements run in order, one statement per string. */
    public static Migration sql(int version, String description, String... statements) {
        List<String> steps = List.of(statements);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("migration " + version + " (" + description + ") has no statements");
        }
        return new Migration(version, description, session -> {
            for (String statement : steps) {
                session.update(statement);
            }
            return null;
        });
    }
}
