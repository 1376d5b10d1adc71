package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.util.Objects;

/** The factory behind {@link SqlitePool#open(PoolConfig)}; public only because the API package calls it. */
public final class Pools {
    private Pools() {
    }

    /** Opens a pool over {@code config}; see {@link SqlitePool}. */
    public static SqlitePool open(PoolConfig config) {
        return new PoolImpl(Objects.requireNonNull(config, "config"));
    }
}
