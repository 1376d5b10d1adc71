package dev.loomlite.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pool's configuration, validated when built and frozen once the pool opens.
 *
 * <pre>{@code
 * PoolConfig config = PoolConfig.builder(Path.of("data"))
 *         .readers(4)
 *         .maxQueue(1000)
 *         .defaultTimeout(Duration.ofSeconds(5))
 *         .migrations(schema)
 *         .build();
 * }</pre>
 *
 * @param directory           the folder holding the database files; created if missing
 * @param readers             reader threads ({@code SQLITE_WORKER_COUNT}), 1..64
 * @param writers             writer threads; files are assigned to one each, 1..64
 * @param maxQueue            tasks queued per database and lane before saturation ({@code SQLITE_MAX_QUEUE_SIZE})
 * @param saturation          what a call does on a full queue
 * @param defaultTimeout      each call's deadline unless {@link Database#withTimeout} says otherwise
 * @param useWorkers          false runs every call on the caller's thread ({@code USE_SQLITE_WORKERS=0})
 * @param synchronous         {@code PRAGMA synchronous} of every connection; {@link Synchronous#FULL} (the default)
 *                            makes each commit wait for an fsync of the WAL, so a returned write survives power loss
 * @param busyTimeout         {@code PRAGMA busy_timeout}: how long a connection waits on another process's lock
 * @param cacheSizeKib        {@code PRAGMA cache_size} per connection, in KiB
 * @param mmapSize            {@code PRAGMA mmap_size} in bytes (0 disables)
 * @param journalSizeLimit    {@code PRAGMA journal_size_limit} in bytes
 * @param statementCacheSize  prepared statements kept per connection (LRU), 0..1024
 * @param maxBatch            writes group-committed in one transaction at most, 1..10000
 * @param checkpointInterval  how often the background checkpointer copies each written database's WAL back
 *                            (PASSIVE, beside the writer) and the writer checks the WAL's size
 * @param shutdownGrace       how long {@link SqlitePool#close()} lets queued work drain
 * @param slowTaskThreshold   tasks running longer emit a JFR {@code dev.loomlite.sqlite.SlowTask} event
 * @param maxOpenCursors      cursors open at once in the whole pool, 1..10000; one more fails at once with
 *                            {@link PoolSaturatedException} (whatever {@link #saturation()} says): each open cursor
 *                            holds a read connection and a snapshot until it is exhausted or closed
 * @param migrations          schema steps applied at open to databases named without their own migrations
 */
public record PoolConfig(
        Path directory,
        int readers,
        int writers,
        int maxQueue,
        Saturation saturation,
        Duration defaultTimeout,
        boolean useWorkers,
        Synchronous synchronous,
        Duration busyTimeout,
        int cacheSizeKib,
        long mmapSize,
        long journalSizeLimit,
        int statementCacheSize,
        int maxBatch,
        Duration checkpointInterval,
        Duration shutdownGrace,
        Duration slowTaskThreshold,
        int maxOpenCursors,
        List<Migration> migrations) {

    /** Environment variable naming the number of reader threads. */
    public static final String ENV_WORKER_COUNT = "SQLITE_WORKER_COUNT";
    /** Environment variable naming the per-database, per-lane queue limit. */
    public static final String ENV_MAX_QUEUE_SIZE = "SQLITE_MAX_QUEUE_SIZE";
    /** Environment variable: {@code 0} or {@code false} switches to direct mode. */
    public static final String ENV_USE_WORKERS = "USE_SQLITE_WORKERS";

    public PoolConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(saturation, "saturation");
        Objects.requireNonNull(synchronous, "synchronous");
        range("readers", readers, 1, 64);
        range("writers", writers, 1, 64);
        range("maxQueue", maxQueue, 1, 1_000_000);
        range("statementCacheSize", statementCacheSize, 0, 1024);
        range("maxBatch", maxBatch, 1, 10_000);
        range("maxOpenCursors", maxOpenCursors, 1, 10_000);
        positive("defaultTimeout", defaultTimeout);
        positive("busyTimeout", busyTimeout);
        positive("checkpointInterval", checkpointInterval);
        positive("slowTaskThreshold", slowTaskThreshold);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + shutdownGrace);
        }
        if (cacheSizeKib < 0) {
            throw new IllegalArgumentException("cacheSizeKib must be >= 0, was " + cacheSizeKib);
        }
        if (mmapSize < 0 || journalSizeLimit < 0) {
            throw new IllegalArgumentException("mmapSize and journalSizeLimit must be >= 0, were " + mmapSize + " and " + journalSizeLimit);
        }
        migrations = List.copyOf(migrations);
        Set<Integer> versions = new HashSet<>();
        for (Migration m : migrations) {
            if (!versions.add(m.version())) {
                throw new IllegalArgumentException("migration version " + m.version() + " appears twice");
            }
        }
    }

    /**
     * The file that database {@code name} lives in, {@code <directory>/<name>.db}: what a caller checks before
     * {@link SqlitePool#database} creates a missing one.
     */
    public Path file(String name) {
        return directory.resolve(name + ".db");
    }

    /** A builder with production defaults for databases under {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The defaults, overridden by {@code SQLITE_WORKER_COUNT}, {@code SQLITE_MAX_QUEUE_SIZE}, {@code USE_SQLITE_WORKERS}. */
    public static PoolConfig fromEnvironment(Path directory) {
        return builder(directory).environment(System.getenv()).build();
    }

    /** A builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(directory);
        b.readers = readers;
        b.writers = writers;
        b.maxQueue = maxQueue;
        b.saturation = saturation;
        b.defaultTimeout = defaultTimeout;
        b.useWorkers = useWorkers;
        b.synchronous = synchronous;
        b.busyTimeout = busyTimeout;
        b.cacheSizeKib = cacheSizeKib;
        b.mmapSize = mmapSize;
        b.journalSizeLimit = journalSizeLimit;
        b.statementCacheSize = statementCacheSize;
        b.maxBatch = maxBatch;
        b.checkpointInterval = checkpointInterval;
        b.shutdownGrace = shutdownGrace;
        b.slowTaskThreshold = slowTaskThreshold;
        b.maxOpenCursors = maxOpenCursors;
        b.migrations = migrations;
        return b;
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }

    /**
     * Builds a {@link PoolConfig}; not thread-safe.
     *
     * <pre>{@code
     * PoolConfig.builder(dir).readers(2).synchronous(Synchronous.FULL).build();
     * }</pre>
     */
    public static final class Builder {
        private final Path directory;
        // Readers do the SQLite work (about two thirds of a point read's CPU; callers' carriers the rest), and the
        // OS shares cores per thread: twice the cores, at least 4, keeps readers from being starved (measured on
        // 2 cores: 2 readers ~0.7x raw single-thread point reads, 4 readers ~1.3x). At most 8: one connection
        // per reader and database.
        private int readers = Math.min(8, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        private int writers = 1;
        private int maxQueue = 1000;
        private Saturation saturation = Saturation.REJECT;
        private Duration defaultTimeout = Duration.ofSeconds(5);
        private boolean useWorkers = true;
        // FULL: a write call that returned survives power loss, as "returns after its commit" suggests. Group commit
        // pays one fsync per batch, not per write; NORMAL is the documented opt-out (see Synchronous).
        private Synchronous synchronous = Synchronous.FULL;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private int cacheSizeKib = 16_000;
        private long mmapSize = 128L << 20;
        private long journalSizeLimit = 64L << 20;
        private int statementCacheSize = 64;
        private int maxBatch = 512;
        private Duration checkpointInterval = Duration.ofMillis(500);
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private Duration slowTaskThreshold = Duration.ofMillis(100);
        // A cursor holds a read connection (a few file descriptors, up to cache_size of memory) and a snapshot
        // that keeps checkpoints from finishing: a bound stops a leak or a burst of cursors from exhausting them.
        private int maxOpenCursors = 64;
        private List<Migration> migrations = List.of();

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        public Builder readers(int readers) { this.readers = readers; return this; }
        public Builder writers(int writers) { this.writers = writers; return this; }
        public Builder maxQueue(int maxQueue) { this.maxQueue = maxQueue; return this; }
        public Builder saturation(Saturation saturation) { this.saturation = saturation; return this; }
        public Builder defaultTimeout(Duration timeout) { this.defaultTimeout = timeout; return this; }
        public Builder useWorkers(boolean useWorkers) { this.useWorkers = useWorkers; return this; }
        public Builder synchronous(Synchronous synchronous) { this.synchronous = synchronous; return this; }
        public Builder busyTimeout(Duration busyTimeout) { this.busyTimeout = busyTimeout; return this; }
        public Builder cacheSizeKib(int kib) { this.cacheSizeKib = kib; return this; }
        public Builder mmapSize(long bytes) { this.mmapSize = bytes; return this; }
        public Builder journalSizeLimit(long bytes) { this.journalSizeLimit = bytes; return this; }
        public Builder statementCacheSize(int size) { this.statementCacheSize = size; return this; }
        public Builder maxBatch(int maxBatch) { this.maxBatch = maxBatch; return this; }
        public Builder checkpointInterval(Duration interval) { this.checkpointInterval = interval; return this; }
        public Builder shutdownGrace(Duration grace) { this.shutdownGrace = grace; return this; }
        public Builder slowTaskThreshold(Duration threshold) { this.slowTaskThreshold = threshold; return this; }
        public Builder maxOpenCursors(int limit) { this.maxOpenCursors = limit; return this; }
        public Builder migrations(List<Migration> migrations) { this.migrations = List.copyOf(migrations); return this; }

        /**
         * Applies the environment names kept from the original plan: {@code SQLITE_WORKER_COUNT},
         * {@code SQLITE_MAX_QUEUE_SIZE} and {@code USE_SQLITE_WORKERS}. A malformed value fails with the name.
         */
        public Builder environment(Map<String, String> env) {
            String count = env.get(ENV_WORKER_COUNT);
            if (count != null) {
                readers = parse(ENV_WORKER_COUNT, count);
            }
            String queue = env.get(ENV_MAX_QUEUE_SIZE);
            if (queue != null) {
                maxQueue = parse(ENV_MAX_QUEUE_SIZE, queue);
            }
            String use = env.get(ENV_USE_WORKERS);
            if (use != null) {
                useWorkers = switch (use.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "0", "false", "no", "off" -> false;
                    case "1", "true", "yes", "on" -> true;
                    default -> throw new IllegalArgumentException(ENV_USE_WORKERS + " must be 0 or 1, was '" + use + "'");
                };
            }
            return this;
        }

        private static int parse(String name, String value) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, was '" + value + "'", e);
            }
        }

        /** Validates and freezes the configuration. */
        public PoolConfig build() {
            return new PoolConfig(directory, readers, writers, maxQueue, saturation, defaultTimeout, useWorkers,
                    synchronous, busyTimeout, cacheSizeKib, mmapSize, journalSizeLimit, statementCacheSize, maxBatch,
                    checkpointInterval, shutdownGrace, slowTaskThreshold, maxOpenCursors, migrations);
        }
    }
}
