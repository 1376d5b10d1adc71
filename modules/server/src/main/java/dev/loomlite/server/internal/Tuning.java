package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits that operators rarely touch, with production defaults; tests shrink them to reach the edge cases
 * (a slow WebSocket subscriber, a tiny queue) quickly.
 *
 * <pre>{@code
 * ServerImpl.start(config, Tuning.defaults().withChat(ChatConfig.defaults().withMaxBatch(8).withSubscriberBuffer(8)));
 * ServerImpl.start(config, Tuning.defaults().withClock(testClock));   // sessions expire, buckets refill when the test says
 * }</pre>
 *
 * @param chat          the chat pipeline's limits; its shutdown grace is derived from the server's, and its shard count
 *                      is {@code ServerConfig.shards()}
 * @param sendTimeout   how long a send waits for its commit before the answer is 503 "may or may not be stored"
 *                      (clients retry with the same client id); below the clients' own request timeouts (the page's
 *                      15 s, the JVM client's 10 s), so that a stalled disk gets an explicit answer, not a hang
 * @param wsSendTimeout how long one WebSocket frame may take to leave before the subscriber counts as too slow
 * @param wsPing        how often idle WebSocket connections are pinged (keeps proxies and NATs from dropping them)
 * @param wsIdleTimeout a WebSocket connection with no traffic at all for this long is closed
 * @param clock         the wall clock of session times (sign-in, last use, expiry, purge)
 * @param ticker        the monotonic nanosecond clock of the rate limiters' token buckets (sends, sign-ins)
 */
public record Tuning(ChatConfig chat, Duration sendTimeout, Duration wsSendTimeout, Duration wsPing, Duration wsIdleTimeout, InstantSource clock,
                     LongSupplier ticker) {
    public Tuning {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ticker, "ticker");
        positive("sendTimeout", sendTimeout);
        positive("wsSendTimeout", wsSendTimeout);
        positive("wsPing", wsPing);
        positive("wsIdleTimeout", wsIdleTimeout);
        if (wsIdleTimeout.compareTo(wsPing) <= 0) {
            throw new IllegalArgumentException("wsIdleTimeout (" + wsIdleTimeout + ") must exceed wsPing (" + wsPing + ")");
        }
    }

    /** Chat defaults, 5 s for a send's commit, 10 s to send one frame, a ping every 30 s, 5 min idle timeout, the system clocks. */
    public static Tuning defaults() {
        return new Tuning(ChatConfig.defaults(), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5),
                InstantSource.system(), System::nanoTime);
    }

    public Tuning withChat(ChatConfig chat) {
        return new Tuning(chat, sendTimeout, wsSendTimeout, wsPing, wsIdleTimeout, clock, ticker);
    }

    public Tuning withSendTimeout(Duration timeout) {
        return new Tuning(chat, timeout, wsSendTimeout, wsPing, wsIdleTimeout, clock, ticker);
    }

    public Tuning withWsSendTimeout(Duration timeout) {
        return new Tuning(chat, sendTimeout, timeout, wsPing, wsIdleTimeout, clock, ticker);
    }

    /**
     * Session times and the rate limiters both follow {@code clock} (for tests: a clock that moves only when told, so
     * that neither a session nor a token bucket changes while a test runs). The server itself runs on
     * {@link #defaults()}: the system clock for sessions, {@link System#nanoTime()} for the buckets, which a wall
     * clock's jumps must not refill.
     */
    public Tuning withClock(InstantSource clock) {
        return new Tuning(chat, sendTimeout, wsSendTimeout, wsPing, wsIdleTimeout, clock, () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
    }

    private static void positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
    }

    /**
     * How long a send forwarded by another node waits for its commit here: at most 1.5 s, under the gateway's 2 s
     * request timeout, so that the owner's own 503 "may or may not be stored" reaches the client before the gateway
     * gives up on the owner (docs/cluster-design.md §7.3).
     */
    Duration internalSendTimeout() {
        Duration cap = Duration.ofMillis(1500);
        return sendTimeout.compareTo(cap) < 0 ? sendTimeout : cap;
    }
}
