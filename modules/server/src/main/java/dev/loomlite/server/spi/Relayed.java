package dev.loomlite.server.spi;

import java.util.Objects;

/**
 * An owner's answer to a forwarded send, relayed to the client as it is ({@link Outcome#ANSWERED}), or why there is
 * none: the owner could not be reached and nothing was stored ({@link Outcome#NOT_STORED}), or the outcome is unknown
 * ({@link Outcome#UNKNOWN}: it may be stored; a retry with the same client id gets the one stored message).
 *
 * <pre>{@code
 * switch (relayed.outcome()) { case ANSWERED -> copy(relayed); case NOT_STORED, UNKNOWN -> answer503(relayed); }
 * }</pre>
 *
 * @param status            the owner's HTTP status ({@code ANSWERED}), else 503
 * @param body              the owner's body bytes ({@code ANSWERED}), else empty
 * @param retryAfterSeconds the owner's {@code Retry-After}, 0 when none
 * @param outcome           whether and how the owner answered
 */
public record Relayed(int status, byte[] body, long retryAfterSeconds, Outcome outcome) {
    /** Whether the owner answered. */
    public enum Outcome { ANSWERED, NOT_STORED, UNKNOWN }

    public Relayed {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** No answer: nothing was stored. */
    public static Relayed notStored() {
        return new Relayed(503, new byte[0], 1, Outcome.NOT_STORED);
    }

    /** No answer: the send may or may not be stored. */
    public static Relayed unknown() {
        return new Relayed(503, new byte[0], 1, Outcome.UNKNOWN);
    }
}
