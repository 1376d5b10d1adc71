package dev.loomlite.sqlite;

/**
 * What a call does when its queue is full.
 *
 * <pre>{@code
 * PoolConfig.builder(dir).saturation(Saturation.WAIT).build();
 * }</pre>
 */
public enum Saturation {
    /** Fail at once with {@link PoolSaturatedException}. */
    REJECT,
    /** Wait for room up to the call's deadline, then fail with {@link PoolSaturatedException}. */
    WAIT
}
