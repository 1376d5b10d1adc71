package dev.loomlite.sqlite;

/**
 * The root of every failure the pool reports. Messages name the database, the limit and the numbers.
 *
 * <pre>{@code
 * try { db.update(sql, args); } catch (PoolSaturatedException busy) { retryLater(); } catch (PoolException e) { log(e); }
 * }</pre>
 */
public class PoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    public PoolException(String message) {
        this(message, null, false);
    }

    public PoolException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param outcomeUnknown whether the failed write may nevertheless have committed (see {@link #outcomeUnknown()})
     */
    protected PoolException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * Whether the write this failure answers may or may not have committed: its group's {@code COMMIT} failed
     * with an I/O error or a full disk, or its worker died during that {@code COMMIT}. Read back before
     * retrying a write that is not idempotent. False for every failure after which nothing was committed.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
