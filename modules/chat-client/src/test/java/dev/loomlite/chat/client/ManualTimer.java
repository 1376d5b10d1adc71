package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A timer the test fires by hand, recording the requested delays. */
final class ManualTimer implements Timer {
    record Scheduled(Duration delay, Runnable task) {
    }

    // Filled by outbox threads; taken by the test.
    private final LinkedBlockingQueue<Scheduled> scheduled = new LinkedBlockingQueue<>();

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
        scheduled.add(new Scheduled(delay, task));
        return () -> { };
    }

    Scheduled next() throws InterruptedException {
        Scheduled s = scheduled.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a scheduled backoff").isNotNull();
        return s;
    }
}
