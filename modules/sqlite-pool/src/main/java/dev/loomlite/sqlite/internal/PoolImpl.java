package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.PoolClosedException;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.SqlitePool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * The pool: a registry of named databases over a {@link Backend} (worker threads, or direct calls). The first
 * caller to name a database opens it outside any lock while later callers wait on its future; a failed open
 * is forgotten so that a later call retries.
 */
public final class PoolImpl implements SqlitePool {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private record Entry(List<Migration> migrations, CompletableFuture<DatabaseImpl<?>> ready) {
    }

    private final PoolConfig config;
    private final Backend<?> backend;
    // Any caller adds and removes (failed opens); metrics() and close() read.
    private final ConcurrentHashMap<String, Entry> databases = new ConcurrentHashMap<>();
    // Written by close(); read by database().
    private volatile boolean closed;

    PoolImpl(PoolConfig config) {
        this.config = config;
        this.backend = config.useWorkers() ? new WorkerBackend(config) : new DirectBackend(config);
    }

    @Override
    public Database database(String name) {
        return database(name, config.migrations());
    }

    @Override
    public Database database(String name, List<Migration> migrations) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(migrations, "migrations");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must be 1 to 64 characters of [A-Za-z0-9_-], was '"
                    + name + "'");
        }
        List<Migration> frozen = List.copyOf(migrations);
        Entry entry = databases.get(name);
        if (entry == null) {
            if (closed) {
                throw new PoolClosedException("database '" + name + "': the pool is closed");
            }
            Entry mine = new Entry(frozen, new CompletableFuture<>());
            entry = databases.putIfAbsent(name, mine);
            if (entry == null) {
                return open(name, mine);
            }
        }
        if (!entry.migrations().equals(frozen)) {
            throw new IllegalStateException("database '" + name + "' is already open with other migrations ("
                    + entry.migrations().size() + " vs " + frozen.size() + ")");
        }
        try {
            return entry.ready().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private DatabaseImpl<?> open(String name, Entry entry) {
        try {
            DatabaseImpl<?> db = DatabaseImpl.attach(new DbState(name, config, entry.migrations()), backend,
                    config.defaultTimeout());
            entry.ready().complete(db);
            return db;
        } catch (RuntimeException | Error e) {
            databases.remove(name, entry);
            entry.ready().completeExceptionally(e);
            throw e;
        }
    }

    @Override
    public PoolConfig config() {
        return config;
    }

    @Override
    public PoolMetrics metrics() {
        List<PoolMetrics.Lane> lanes = new ArrayList<>();
        for (Entry e : databases.values()) {
            DatabaseImpl<?> db = e.ready().getNow(null);
            if (db != null) {
                lanes.add(db.state().read.snapshot());
                lanes.add(db.state().write.snapshot());
            }
        }
        lanes.sort((a, b) -> a.database().equals(b.database())
                ? a.kind().compareTo(b.kind()) : a.database().compareTo(b.database()));
        Runner runner = backend.runner();
        return new PoolMetrics(lanes, runner.batches.snapshot(), runner.checkpoints.snapshot(),
                backend.liveWorkers(), backend.replacedWorkers());
    }

    @Override
    public void close() {
        if (Threads.currentWorkerOrNull() != null) {
            throw new IllegalStateException("close() called from inside a task on "
                    + Thread.currentThread().getName() + ": it would wait for its own thread");
        }
        closed = true;
        backend.close();
    }

    @Override
    public String toString() {
        return "SqlitePool[" + config.directory() + ", " + (config.useWorkers() ? config.readers() + " readers, "
                + config.writers() + " writers" : "direct") + ", " + databases.size() + " databases]";
    }
}
