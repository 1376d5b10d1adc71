package dev.loomlite.chat;

import java.io.Serial;
import java.time.Duration;

/**
 * The room belongs to another node of the cluster, and that node did not answer in time: nothing was read or stored.
 * A server answers 503 with {@link #retryAfter()}; a client retries.
 *
 * <pre>{@code
 * try { page = chat.history(room, query); }
 * catch (OwnerUnavailableException e) { respond(503, e.retryAfter()); }
 * }</pre>
 */
public final class OwnerUnavailableException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    public OwnerUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When a retry may succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
