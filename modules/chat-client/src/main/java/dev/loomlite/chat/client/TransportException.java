package dev.loomlite.chat.client;

import dev.loomlite.chat.ChatException;
import java.io.Serial;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A send failed: no HTTP response (status 0, retryable), or the server refused it. 429, 408 and 5xx are
 * retryable (honouring {@link #retryAfter()}); other statuses mean the message itself is at fault and a retry
 * would fail the same way.
 *
 * <pre>{@code
 * catch (TransportException e) { if (!e.retryable()) { showError(e.getMessage()); } }
 * }</pre>
 */
public final class TransportException extends ChatException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Duration retryAfter;
    private final boolean retryable;

    private TransportException(String message, int status, Duration retryAfter, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
        this.retryable = retryable;
    }

    /** No response: the connection failed, timed out or was reset. Retryable. */
    public static TransportException network(String message, Throwable cause) {
        return new TransportException(message, 0, null, true, cause);
    }

    /** The server answered {@code status}; retryable for 408, 429 and 5xx. */
    public static TransportException http(int status, String message) {
        return new TransportException(message, status, null, isRetryable(status), null);
    }

    /** The server answered {@code status} and asked to wait {@code retryAfter} before retrying. */
    public static TransportException http(int status, String message, Duration retryAfter) {
        return new TransportException(message, status, Objects.requireNonNull(retryAfter, "retryAfter"),
                isRetryable(status), null);
    }

    /** The server answered success but the body could not be read: retryable (a retry is answered as a replay). */
    public static TransportException unreadable(int status, String message, Throwable cause) {
        return new TransportException(message, status, null, true, cause);
    }

    private static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The HTTP status, or 0 when there was no response. */
    public int status() {
        return status;
    }

    /** How long the server asked to wait ({@code Retry-After}), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether sending the same message again may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
