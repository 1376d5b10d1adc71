package dev.loomlite.sqlite;

/**
 * A queue was full: the call was rejected at once ({@link Saturation#REJECT}) or found no room before its
 * deadline ({@link Saturation#WAIT}). Nothing ran. Callers should back off and retry.
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
        super("database '" + database + "' " + lane + " queue is full: " + depth + " queued, limit " + limit);
        this.database = database;
        this.depth = depth;
        this.limit = limit;
    }

    /** The database whose queue was full. */
    public String database() {
        return database;
    }

    /** How many tasks were queued when the call was turned away. */
    public int depth() {
        return depth;
    }

    /** The queue's limit. */
    public int limit() {
        return limit;
    }
}
