package dev.loomlite.sqlite;

/**
 * A limit was reached and the call was turned away: a queue was full, rejected at once
 * ({@link Saturation#REJECT}) or no room before the deadline ({@link Saturation#WAIT}); or the pool already had
 * {@link PoolConfig#maxOpenCursors()} cursors open (always at once). Nothing ran. Callers should back off and
 * retry.
 *
 * <pre>{@code
 * catch (PoolSaturatedException e) { respond(503, "Retry-After: 1"); }
 * }</pre>
 */
public final class PoolSaturatedException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final int depth;
    private final int limit;

    public PoolSaturatedException(String database, String lane, int depth, int limit) {
        this(database, depth, limit,
                "database '" + database + "' " + lane + " queue is full: " + depth + " queued, limit " + limit);
    }

    private PoolSaturatedException(String database, int depth, int limit, String message) {
        super(message);
        this.database = database;
        this.depth = depth;
        this.limit = limit;
    }

    /**
     * The pool's open-cursor limit was reached: {@code open} cursors are open (in all its databases) and
     * {@code limit} is {@link PoolConfig#maxOpenCursors()}.
     */
    public static PoolSaturatedException cursors(String database, int open, int limit) {
        return new PoolSaturatedException(database, open, limit, "database '" + database + "': cannot open a cursor: "
                + open + " cursors are open in the pool, limit " + limit + " (maxOpenCursors); close cursors (or read"
                + " them to the end) when done");
    }

    /** The database whose queue was full, or that asked for a cursor. */
    public String database() {
        return database;
    }

    /** How many tasks were queued (for the cursor limit: how many cursors were open) when the call was turned away. */
    public int depth() {
        return depth;
    }

    /** The queue's limit, or the open-cursor limit. */
    public int limit() {
        return limit;
    }
}
