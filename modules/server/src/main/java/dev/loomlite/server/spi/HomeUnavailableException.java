package dev.loomlite.server.spi;

import java.io.Serial;

/**
 * A session's home node did not answer: the request is answered 503, never 401 (the client retries and keeps its
 * identity). {@link #outcomeUnknown()} when a change may have been applied anyway.
 *
 * <pre>{@code
 * catch (HomeUnavailableException e) { respond(503, e.outcomeUnknown() ? "may or may not be done" : "not done"); }
 * }</pre>
 */
public final class HomeUnavailableException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;
    private final boolean outcomeUnknown;

    public HomeUnavailableException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
