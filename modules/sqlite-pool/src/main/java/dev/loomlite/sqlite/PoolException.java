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

    public PoolException(String message) {
        super(message);
    }

    public PoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
