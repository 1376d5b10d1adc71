package dev.loomlite.chat.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Schedules the outbox's backoff wake-ups; a hand-written fake drives it in tests. */
interface Timer {
    /** Runs {@code task} after {@code delay}; running the returned handle cancels it. */
    Runnable schedule(Duration delay, Runnable task);

    static Timer of(ScheduledExecutorService scheduler) {
        return (delay, task) -> {
            var future = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
