package dev.loomlite.server.internal;

import dev.loomlite.server.spi.InternalApi;
import java.time.Duration;

/**
 * The server's phase as requests see it: {@code /health} answers from it, and every new piece of work
 * (a send, a session, a WebSocket upgrade) asks it first, so that draining refuses new work with 503.
 */
final class Gate {
    /** How long clients are told to wait when the server is starting or draining. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    enum Phase { STARTING, UP, DRAINING }

    /** Written by the thread that starts or closes the server; read by request threads. */
    private volatile Phase phase = Phase.STARTING;

    Phase phase() {
        return phase;
    }

    boolean isUp() {
        return phase == Phase.UP;
    }

    void open() {
        phase = Phase.UP;
    }

    void drain() {
        phase = Phase.DRAINING;
    }

    /** @throws ApiException 503 with Retry-After unless the server is up */
    void requireUp() {
        switch (phase) {
            case UP -> { }
            case STARTING -> throw ApiException.retryLater(503, "server is starting, retry shortly", RETRY_AFTER)
                    .outcome(InternalApi.NOT_STORED);
            case DRAINING -> throw ApiException.retryLater(503, "server is shutting down, retry later", RETRY_AFTER)
                    .outcome(InternalApi.NOT_STORED);
        }
    }
}
