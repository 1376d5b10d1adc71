package dev.loomlite.sqlite;

/**
 * A call's deadline passed: either while queued (the task never ran) or while running (it was interrupted
 * on its own connection and rolled back; the connection stays usable).
 *
 * <pre>{@code
 * catch (PoolTimeoutException e) { if (!e.started()) { safeToRetry(); } }
 * }</pre>
 */
public final class PoolTimeoutException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final boolean started;

    public PoolTimeoutException(String message, boolean started) {
        super(message);
        this.started = started;
    }

    /** Whether the task had started running when its deadline passed. */
    public boolean started() {
        return started;
    }
}
