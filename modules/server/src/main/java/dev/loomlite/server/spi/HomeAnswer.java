package dev.loomlite.server.spi;

/**
 * What a session's home node says of it.
 *
 * <pre>{@code
 * switch (answer) { case HomeAnswer.Active a -> a.userId(); case HomeAnswer.Expired e -> e.reason(); default -> ... }
 * }</pre>
 */
public sealed interface HomeAnswer {
    /** A live session; {@code leftMillis} until its maximum age. */
    record Active(String userId, String name, long leftMillis) implements HomeAnswer {
    }

    /** Ended by time; {@code reason} names the limit. */
    record Expired(String reason) implements HomeAnswer {
    }

    /** Signed out. */
    record Revoked() implements HomeAnswer {
    }

    /** Never issued, or purged. */
    record Unknown() implements HomeAnswer {
    }

    /** A sign-out naming another user than the session's. */
    record Conflict() implements HomeAnswer {
    }
}
