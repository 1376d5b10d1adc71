package dev.loomlite.sqlite;

/**
 * SQLite's {@code PRAGMA synchronous} level for WAL databases.
 *
 * <pre>{@code
 * PoolConfig.builder(dir).synchronous(Synchronous.FULL).build();
 * }</pre>
 */
public enum Synchronous {
    /** Durable across process crashes; a power loss may lose the last commits. The default. */
    NORMAL,
    /** Also durable across power loss: one fsync of the WAL per commit. */
    FULL
}
