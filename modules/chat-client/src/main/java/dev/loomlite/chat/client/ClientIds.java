package dev.loomlite.chat.client;

import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Client ids for {@link Outbox}: the time in milliseconds (12 hex digits) then 80 random bits (20 hex
 * digits), like a UUIDv7 and like the web page's. Time first makes new ids sort after old ones, so the
 * server's unique index on {@code (client_id, author_id)} grows at its end rather than at random places,
 * about a third of the storage work per message (BENCHMARKS.md); 80 random bits per millisecond keep them
 * unique.
 *
 * <pre>{@code
 * Supplier<String> ids = ClientIds.timeOrdered(new SecureRandom());
 * String id = ids.get();   // e.g. "019ac4f1d2c85f3a9e0b7c61d4e2a8f0"
 * }</pre>
 */
public final class ClientIds {
    private static final HexFormat HEX = HexFormat.of();

    private ClientIds() {
    }

    /** Time-ordered ids from the system clock and {@code random} (a {@link java.security.SecureRandom} in production). */
    public static Supplier<String> timeOrdered(Random random) {
        return timeOrdered(random, InstantSource.system());
    }

    static Supplier<String> timeOrdered(Random random, InstantSource clock) {
        return () -> {
            byte[] bytes = new byte[10];
            random.nextBytes(bytes);
            String millis = String.format("%012x", clock.millis() & 0xFFFF_FFFF_FFFFL);
            return millis + HEX.formatHex(bytes);
        };
    }
}
