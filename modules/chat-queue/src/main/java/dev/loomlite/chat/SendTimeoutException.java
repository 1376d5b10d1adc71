package dev.loomlite.chat;

import java.io.Serial;
import java.time.Duration;

/**
 * A send was accepted but not confirmed within the caller's timeout: it may or may not be stored (its commit may
 * still come). Retry with the same {@code clientId}: the retry joins the send still in flight or replays the stored
 * message, so the message is stored once either way.
 *
 * <pre>{@code
 * try { chat.send(request, Duration.ofSeconds(5)); }
 * catch (SendTimeoutException e) { respond(503, "Retry-After: 1", "may or may not be stored, retry with the same id"); }
 * }</pre>
 */
public final class SendTimeoutException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public SendTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
    }

    /** How long the caller waited. */
    public Duration timeout() {
        return timeout;
    }
}
