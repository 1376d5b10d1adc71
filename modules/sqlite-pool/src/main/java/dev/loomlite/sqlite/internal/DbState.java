package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the pool knows about one named database file. Immutable apart from the backend's attachment,
 * which is set once before the state is published to callers.
 */
final class DbState {
    final String name;
    final Path path;
    final List<Migration> migrations;
    final Lane read;
    final Lane write;
    // Written once by the opening thread before publication (safe via the registry's future); read by all.
    Object attachment;

    DbState(String name, PoolConfig config, List<Migration> migrations) {
        this.name = name;
        this.path = config.directory().resolve(name + ".db");
        this.migrations = List.copyOf(migrations);
        this.read = new Lane(name, PoolMetrics.Kind.READ, config.maxQueue(), config.saturation());
        this.write = new Lane(name, PoolMetrics.Kind.WRITE, config.maxQueue(), config.saturation());
    }

    Lane lane(PoolMetrics.Kind kind) {
        return kind == PoolMetrics.Kind.READ ? read : write;
    }

    @Override
    public String toString() {
        return "database '" + name + "' (" + path + ")";
    }
}
