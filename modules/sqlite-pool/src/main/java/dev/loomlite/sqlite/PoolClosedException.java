package dev.loomlite.sqlite;

/**
 * The pool was closed before the task could run, or it was still queued when the shutdown grace period ended.
 *
 * <pre>{@code
 * catch (PoolClosedException e) { respond(503); }
 * }</pre>
 */
public final class PoolClosedException extends PoolException {
    private static final long serialVersionUID = 1L;

    public PoolClosedException(String message) {
        super(message);
    }
}
