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
        assertThat(limiter.acquire("busy")).as("busy was forgotten and starts again").isEmpty();
    }

    /** Until a key is forgotten, no key can be a returning one: new keys get the whole burst (a shared NAT address). */
    @Test
    void a_new_key_starts_with_a_full_burst_while_no_key_was_forgotten() {
        RateLimiter limiter = limiter(10 / 60.0, 30, 100);

        assertThat(allowed(limiter, "new", 100)).isEqualTo(30);
    }

    /**
     * A client with more keys than the limiter remembers must not get a full burst each time one of its keys comes
     * back: once keys are forgotten, a new key starts with a few tokens only.
     */
    @Test
    void once_keys_are_forgotten_a_key_that_comes_back_starts_with_a_few_tokens_not_a_full_burst() {
        RateLimiter limiter = limiter(10 / 60.0, 30, 2);
        assertThat(allowed(limiter, "a", 100)).isEqualTo(30);
        limiter.acquire("b");
        limiter.acquire("c"); // "a" is forgotten

        assertThat(allowed(limiter, "a", 100)).isEqualTo(RateLimiter.NEW_KEY_FLOOR);
        assertThat(allowed(limiter, "never-seen", 100)).as("indistinguishable from a returning key").isEqualTo(3);
    }

    /** A forgotten key that had been kept would have refilled since its last use: a new key gets no more than that. */
    @Test
    void a_new_key_gets_what_a_forgotten_one_would_have_refilled_since_its_last_use() {
        RateLimiter limiter = limiter(1, 30, 1);
        allowed(limiter, "a", 100);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        limiter.acquire("b"); // "a", last used 10 s ago, is forgotten

        assertThat(allowed(limiter, "a", 100)).as("10 s at 1/s").isEqualTo(10);
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(allowed(limiter, "c", 100)).as("every forgotten key would be full again").isEqualTo(30);
    }

    /** How many of {@code tries} immediate acquires for {@code key} are allowed. */
    static int allowed(RateLimiter limiter, String key, int tries) {
        int allowed = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.acquire(key).isEmpty()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void a_refunded_token_can_be_taken_again_but_never_beyond_the_burst() {
        RateLimiter limiter = limiter(1 / 60.0, 2, 100);
        limiter.acquire("a");
        limiter.acquire("a");
        limiter.refund("a");

        assertThat(limiter.acquire("a")).isEmpty();
        assertThat(limiter.acquire("a")).isPresent();
        limiter.refund("b"); // never seen: nothing to give back
        limiter.refund("a");
        limiter.refund("a");
        limiter.refund("a");
        assertThat(limiter.acquire("a")).isEmpty();
        assertThat(limiter.acquire("a")).isEmpty();
        assertThat(limiter.acquire("a")).isPresent();
    }
}
