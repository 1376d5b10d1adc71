package dev.loomlite.cluster.internal;

import java.io.Serial;

/**
 * A room payload this node does not read: a format version it does not know, or content that is not a well-formed run.
 * The subscriber counts it by {@link #reason()} and drops it; the follower's repair from the owner covers the loss.
 *
 * <pre>{@code
 * catch (RejectedPayloadException e) { counters.rejected(e.reason()); }
 * }</pre>
 */
final class RejectedPayloadException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    enum Reason { UNKNOWN_VERSION, MALFORMED }

    private final Reason reason;

    private RejectedPayloadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    static RejectedPayloadException unknownVersion(long v) {
        return new RejectedPayloadException(Reason.UNKNOWN_VERSION, "a room payload of format v" + v
                + " is not readable here: this node reads v" + RoomPayload.VERSION);
    }

    static RejectedPayloadException malformed(String detail) {
        return new RejectedPayloadException(Reason.MALFORMED, "a malformed room payload: " + detail);
    }

    Reason reason() {
        return reason;
    }
}
