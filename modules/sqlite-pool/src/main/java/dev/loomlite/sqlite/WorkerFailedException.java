package dev.loomlite.sqlite;

/**
 * The worker thread running the task died (an {@link Error}, a broken connection). Its open transaction was
 * rolled back, never half-committed; a replacement worker serves the tasks that were still queued.
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
}
