package dev.loomlite.chat.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry policy and limits of an {@link Outbox}. The wait before retry {@code n} is drawn uniformly from
 * {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]} ("full jitter"), and is never shorter than the
 * server's {@code Retry-After}.
 *
 * <pre>{@code
 * OutboxConfig config = OutboxConfig.defaults().withMaxAttempts(5);
 * }</pre>
 *
 * @param maxAttempts    sends of one message before it is reported failed, 1..100 (3, as the original app)
 * @param initialBackoff the backoff ceiling after the first failure
 * @param maxBackoff     the largest backoff ceiling
 * @param closeTimeout   how long {@link Outbox#close()} waits for sends in flight
 */
public record OutboxConfig(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration closeTimeout) {
    public OutboxConfig {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 100, was " + maxAttempts);
        }
        positive("initialBackoff", initialBackoff);
        positive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff + "), was " + maxBackoff);
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must be >= 0, was " + closeTimeout);
        }
    }

    /** 3 attempts, backoff from 500 ms up to 30 s, 5 s to close. */
    public static OutboxConfig defaults() {
        return new OutboxConfig(3, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public OutboxConfig withMaxAttempts(int v) {
        return new OutboxConfig(v, initialBackoff, maxBackoff, closeTimeout);
    }

    public OutboxConfig withInitialBackoff(Duration v) {
        return new OutboxConfig(maxAttempts, v, maxBackoff, closeTimeout);
    }

    public OutboxConfig withMaxBackoff(Duration v) {
        return new OutboxConfig(maxAttempts, initialBackoff, v, closeTimeout);
    }

    public OutboxConfig withCloseTimeout(Duration v) {
        return new OutboxConfig(maxAttempts, initialBackoff, maxBackoff, v);
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }
}
