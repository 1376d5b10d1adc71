package dev.loomlite.server.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure with its HTTP status, thrown by handlers and turned into {@link ApiError} by one exception mapper.
 * The message is written for the client: it names the field and the limit, never echoes the raw input.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String field;
    private final Duration retryAfter;
    // For a 503 of a send: whether nothing was stored (InternalApi.NOT_STORED) or it is unknown (InternalApi.UNKNOWN).
    private final String outcome;

    private ApiException(int status, String message, String field, Duration retryAfter, String outcome) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfter = retryAfter;
        this.outcome = outcome;
    }

    /** 400 naming the field at fault ({@code null} when the body as a whole is wrong). */
    static ApiException badRequest(String field, String message) {
        return new ApiException(400, message, field, null, null);
    }

    static ApiException of(int status, String message) {
        return new ApiException(status, message, null, null, null);
    }

    static ApiException retryLater(int status, String message, Duration retryAfter) {
        return new ApiException(status, message, null, retryAfter, null);
    }

    /** 401: no session cookie, or one the server does not know. */
    static ApiException unauthorized() {
        return of(401, ErrorMapping.describe(401));
    }

    int status() {
        return status;
    }

    ApiError body() {
        return new ApiError(getMessage(), field);
    }

    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** This exception, saying whether a send it refuses was stored ({@code Loomlite-Outcome}). */
    ApiException outcome(String sendOutcome) {
        return new ApiException(status, getMessage(), field, retryAfter, sendOutcome);
    }

    Optional<String> outcome() {
        return Optional.ofNullable(outcome);
    }
}
