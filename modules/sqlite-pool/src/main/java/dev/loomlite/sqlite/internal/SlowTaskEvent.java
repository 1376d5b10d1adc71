package dev.loomlite.sqlite.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** JFR event for a task that ran longer than {@code slowTaskThreshold}; committed by the thread that ran it. */
@Name("dev.loomlite.sqlite.SlowTask")
@Label("Slow SQLite Task")
@Category({"Loomlite", "SQLite"})
@Description("A pool task whose execution exceeded the configured slow-task threshold")
@StackTrace(false)
final class SlowTaskEvent extends jdk.jfr.Event {
    @Label("Database")
    String database;

    @Label("Lane")
    String lane;

    @Label("SQL")
    @Description("The statement, or \"work\" for a work unit")
    String sql;

    @Label("Queue Wait")
    @Timespan(Timespan.MICROSECONDS)
    long waitMicros;

    @Label("Execution")
    @Timespan(Timespan.MICROSECONDS)
    long execMicros;

    @Label("Outcome")
    String outcome;
}
