package dev.loomlite.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A wall clock that moves only when a test says so: session expiry is tested by moving time, never by waiting.
 * The test thread advances it; the server's request threads read it.
 */
final class TestClock implements InstantSource {
    private final AtomicReference<Instant> now;
    /** A jump to make right after the next read, or null. */
    private final AtomicReference<Duration> jump = new AtomicReference<>();

    TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Starts at a fixed, realistic date. */
    TestClock() {
        this(Instant.parse("2026-01-05T09:00:00Z"));
    }

    @Override
    public Instant instant() {
        Instant read = now.get();
        Duration by = jump.getAndSet(null);
        if (by != null) {
            advance(by);
        }
        return read;
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    /**
     * The next read still gets the current time, and the clock moves on by {@code by} right after it: time passes
     * between two steps of one request (the server reads the clock once per session look-up).
     */
    void advanceAfterNextRead(Duration by) {
        jump.set(by);
    }
}
