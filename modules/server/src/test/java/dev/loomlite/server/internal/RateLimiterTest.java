package dev.loomlite.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves. */
class RateLimiterTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    RateLimiter limiter(double perSecond, int burst, int maxKeys) {
        return new RateLimiter(perSecond, burst, maxKeys, nanos::get);
    }

    @Test
    void a_key_is_refused_after_its_burst_and_told_how_long_to_wait() {
        RateLimiter limiter = limiter(10 / 60.0, 2, 100);
        limiter.acquire("a");
        limiter.acquire("a");

        assertThat(limiter.acquire("a")).hasValueSatisfying(wait ->
                assertThat(wait).isGreaterThan(Duration.ofSeconds(5)).isLessThanOrEqualTo(Duration.ofSeconds(6)));
    }

    @Test
    void a_token_returns_after_one_rate_interval() {
        RateLimiter limiter = limiter(10 / 60.0, 1, 100);
        limiter.acquire("a");
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());

        assertThat(limiter.acquire("a")).isEmpty();
    }

    @Test
    void keys_have_buckets_of_their_own() {
        RateLimiter limiter = limiter(1, 1, 100);
        limiter.acquire("a");

        assertThat(limiter.acquire("b")).isEmpty();
    }

    @Test
    void no_more_than_max_keys_are_remembered() {
        RateLimiter limiter = limiter(1, 5, 1_000);
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire("key-" + i);
        }

        assertThat(limiter.size()).isEqualTo(1_000);
    }

    @Test
    void the_least_recently_used_key_is_forgotten_first() {
        RateLimiter limiter = limiter(1, 1, 2);
        limiter.acquire("old");
        limiter.acquire("busy");
        limiter.acquire("old"); // refused, but used: "busy" is now the least recently used
        limiter.acquire("new");

        assertThat(limiter.acquire("old")).as("old is still remembered, its bucket empty").isPresent();
        assertThat(limiter.acquire("busy")).as("busy was forgotten and starts full").isEmpty();
    }
}
