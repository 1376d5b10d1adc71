package dev.loomlite.chat.internal;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.RowMapper;
import dev.loomlite.sqlite.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A real database whose next {@link #write} throws what the test arms it with, before reaching the pool. */
final class FaultyDatabase implements Database {
    private final Database real;
    private final AtomicReference<Supplier<? extends Throwable>> nextWrite = new AtomicReference<>();

    FaultyDatabase(Database real) {
        this.real = real;
    }

    /** The next write throws {@code failure} (an unchecked exception or an error) instead of running. */
    void failNextWrite(Supplier<? extends Throwable> failure) {
        nextWrite.set(failure);
    }

    @Override
    public <T> T write(Work<T> work) {
        Supplier<? extends Throwable> failure = nextWrite.getAndSet(null);
        if (failure != null) {
            switch (failure.get()) {
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                case Throwable t -> throw new IllegalArgumentException("not unchecked: " + t);
            }
        }
        return real.write(work);
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public Path path() {
        return real.path();
    }

    @Override
    public Database withTimeout(Duration timeout) {
        return real.withTimeout(timeout);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return real.query(sql, mapper, params);
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        return real.queryOne(sql, mapper, params);
    }

    @Override
    public <T> Cursor<T> cursor(String sql, RowMapper<T> mapper, int pageSize, Object... params) {
        return real.cursor(sql, mapper, pageSize, params);
    }

    @Override
    public int update(String sql, Object... params) {
        return real.update(sql, params);
    }

    @Override
    public long insert(String sql, Object... params) {
        return real.insert(sql, params);
    }

    @Override
    public <T> List<T> writeQuery(String sql, RowMapper<T> mapper, Object... params) {
        return real.writeQuery(sql, mapper, params);
    }

    @Override
    public <T> T read(Work<T> work) {
        return real.read(work);
    }

    @Override
    public <T> CompletableFuture<T> readAsync(Work<T> work) {
        return real.readAsync(work);
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(Work<T> work) {
        return real.writeAsync(work);
    }
}
