package dev.loomlite.chat.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event per room-loop step: the batch's client-id screen and group-committed write, with the previous
 * batch's answers and fan-out running alongside (the step ends when both are done):
 * {@code jfr print --events dev.loomlite.chat.Batch recording.jfr}. Costs nothing unless enabled.
 */
@Name("dev.loomlite.chat.Batch")
@Label("Chat batch")
@Category({"Loomlite", "Chat"})
@Description("One room batch: persisted in one group-committed write, then answered")
@StackTrace(false)
final class BatchEvent extends Event {
    @Label("Room")
    String room;

    @Label("Database")
    String database;

    @Label("Sends")
    int sends;

    @Label("Stored")
    int stored;
}
