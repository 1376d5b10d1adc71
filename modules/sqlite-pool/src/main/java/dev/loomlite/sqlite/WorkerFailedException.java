package dev.loomlite.sqlite;

/**
 * The worker thread running the task died (an {@link Error}, a broken connection). Its open transaction was
 * rolled back, never half-committed, unless it died during the {@code COMMIT} itself ({@link #outcomeUnknown()}:
 * the write may or may not be committed); a replacement worker serves the tasks that were still queued.
 *
 * <pre>{@code
 * catch (WorkerFailedException e) { log.warn(e.getMessage()); retryOnce(); }
 * }</pre>
 */
public final class WorkerFailedException extends PoolException {
    private static final long serialVersionUID = 1L;

    public WorkerFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param outcomeUnknown true when the worker died during the task's {@code COMMIT} */
    public WorkerFailedException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause, outcomeUnknown);
    }
}
