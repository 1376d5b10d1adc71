package dev.loomlite.chat;

import java.io.Serial;
import java.time.Duration;

/**
 * A room's or the global send queue is full: nothing was accepted. Retry after {@link #retryAfter()}.
 *
 * <pre>{@code
 * catch (QueueSaturatedException e) { respond(503, "Retry-After: " + e.retryAfter().toSeconds()); }
 * }</pre>
 */
public final class QueueSaturatedException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public QueueSaturatedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** A suggested wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
