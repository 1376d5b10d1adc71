package dev.loomlite.sqlite.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event for a connection the pool opened, with the durability settings SQLite reports for it (read back with
 * {@code PRAGMA}, not copied from the configuration); committed by the thread that owns the connection. Lets an
 * operator, or a test, see what every connection really runs with, without reaching into the pool.
 */
@Name("dev.loomlite.sqlite.ConnectionOpened")
@Label("SQLite Connection Opened")
@Category({"Loomlite", "SQLite"})
@Description("A pool connection was opened, with the synchronous level and journal mode SQLite reports for it")
@StackTrace(false)
final class ConnectionOpenedEvent extends jdk.jfr.Event {
    @Label("Database")
    String database;

    @Label("Role")
    @Description("writer, reader or checkpointer")
    String role;

    @Label("Synchronous")
    @Description("PRAGMA synchronous as SQLite reports it: OFF, NORMAL, FULL or EXTRA")
    String synchronous;

    @Label("Journal Mode")
    @Description("PRAGMA journal_mode as SQLite reports it")
    String journalMode;
}
