package dev.loomlite.sqlite.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordingStream;

/**
 * Records the pool's {@code dev.loomlite.sqlite.ConnectionOpened} JFR events (what SQLite reports for each
 * connection the pool opens) while open: the test sees every connection kind without reaching into the pool.
 * Shared with the tests of the modules above the pool through this module's test jar ({@code <type>test-jar</type>}).
 *
 * <pre>{@code
 * try (OpenedConnections opened = OpenedConnections.start(); SqlitePool pool = SqlitePool.open(config)) {
 *     pool.database("app").update("CREATE TABLE t(x)");
 *     List<Opened> app = opened.await("app", List.of("writer", "reader"), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class OpenedConnections implements AutoCloseable {
    static final String EVENT = "dev.loomlite.sqlite.ConnectionOpened";

    /** One opened connection: its database, role (writer, reader, checkpointer) and what SQLite reported. */
    public record Opened(String database, String role, String synchronous, String journalMode) {
    }

    private final RecordingStream stream = new RecordingStream();
    // Written by the stream's thread, polled by the test's.
    private final LinkedBlockingQueue<Opened> arrived = new LinkedBlockingQueue<>();
    // Test thread only.
    private final List<Opened> seen = new ArrayList<>();

    private OpenedConnections() {
        stream.enable(EVENT);
        stream.onEvent(EVENT, e -> arrived.add(new Opened(e.getString("database"), e.getString("role"),
                e.getString("synchronous"), e.getString("journalMode"))));
    }

    /** Starts recording; open it before the pool whose connections it should see. */
    public static OpenedConnections start() {
        OpenedConnections opened = new OpenedConnections();
        opened.stream.startAsync();
        return opened;
    }

    /**
     * Waits (events arrive about once a second) until {@code database} has had a connection of each role, then
     * returns every connection of it seen so far.
     */
    public List<Opened> await(String database, List<String> roles, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!roles.stream().allMatch(r -> seen.stream().anyMatch(o -> o.database().equals(database) && o.role().equals(r)))) {
            Opened next = arrived.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no " + roles + " connections of " + database + " within " + timeout + "; saw " + seen);
            }
            seen.add(next);
        }
        return seen.stream().filter(o -> o.database().equals(database)).toList();
    }

    @Override
    public void close() {
        stream.close();
    }
}
