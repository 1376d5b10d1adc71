package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the pool knows about one named database file, whatever the backend. Immutable; the backend's own
 * state for the database is its handle ({@link Backend#attach}).
 */
final class DbState {
    final String name;
    final Path path;
    final List<Migration> migrations;
    final Lane read;
    final Lane write;

    DbState(String name, PoolConfig config, List<Migration> migrations) {
        this.name = name;
        this.path = config.file(name);
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
