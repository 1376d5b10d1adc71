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

    TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Starts at a fixed, realistic date. */
    TestClock() {
        this(Instant.parse("2026-01-05T09:00:00Z"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }
}
