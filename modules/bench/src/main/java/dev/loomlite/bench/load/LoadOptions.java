package dev.loomlite.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The options of {@link E2eLoad}, validated when built.
 *
 * @param url                the running server ({@code --url}, default http://127.0.0.1:7070)
 * @param durationSeconds    the measured part ({@code --duration}, default 20)
 * @param warmupSeconds      sending before it, shown in the time series but not in the summary ({@code --warmup}, 5)
 * @param rooms              rooms {@code <prefix>-0 .. <prefix>-(n-1)} ({@code --rooms}, 10)
 * @param senders            users sending, each to room {@code i % rooms} ({@code --senders}, 50); 0 for idle subscribers
 * @param subscribersPerRoom WebSocket subscribers of each room ({@code --subscribers-per-room}, 10)
 * @param messageSize        characters of content per message, ASCII ({@code --message-size}, 140)
 * @param rate               target messages/s over all senders; 0: each sender as fast as its acks ({@code --rate}, 0)
 * @param compression        subscribers offer permessage-deflate ({@code --compression on|off}, on)
 * @param serverPid          the server's process for CPU and RSS from /proc ({@code --server-pid})
 * @param out                folder for summary.json and report.html ({@code --out}, load-report)
 * @param roomPrefix         prefix of the room ids ({@code --room-prefix}, load)
 * @param rawTransport       send with one plain POST per message instead of the outbox ({@code --transport raw};
 *                           default {@code outbox}), to measure what the outbox costs the client
 * @param socketHttp         send over the tool's own minimal HTTP/1.1 socket client ({@code --http socket}) instead of
 *                           the chat client's {@code HttpTransport} on {@code java.net.http} (default {@code jdk})
 * @param retryFailed        a message the outbox reports failed for a cause worth retrying (no answer, 5xx, 429) is
 *                           retried under its client id, as a user clicks Retry ({@code --on-failure retry}), instead
 *                           of discarded and counted as rejected (default {@code discard}); for fault runs
 * @param phaseMark          a file whose appearance starts a second phase of the measured seconds
 *                           ({@code --phase-mark}): the summary then gives ack and delivery latency before and after it,
 *                           for fault runs that compare a phase with a fault against a baseline of the same run
 */
record LoadOptions(URI url, int durationSeconds, int warmupSeconds, int rooms, int senders, int subscribersPerRoom,
                   int messageSize, int rate, boolean compression, OptionalLong serverPid, Path out, String roomPrefix,
                   boolean rawTransport, boolean socketHttp, boolean retryFailed, Optional<Path> phaseMark) {
    static final String USAGE = """
            Usage: e2e-load.sh [options]   (a running Loomlite server; loopback only)
              --url URL                   server base URL                          (http://127.0.0.1:7070)
              --duration S                measured seconds                         (20)
              --warmup S                  seconds sent before, not in the summary  (5)
              --rooms N                   rooms                                    (10)
              --senders N                 sending users, closed loop each; 0: idle subscribers only (50)
              --subscribers-per-room N    WebSocket subscribers per room           (10)
              --message-size N            characters of content                    (140)
              --rate N                    target messages/s in all, 0 = as fast as acks allow (0)
              --compression on|off        subscribers offer permessage-deflate     (on)
              --server-pid PID            read the server's CPU and RSS from /proc (none)
              --out DIR                   where summary.json and report.html go    (load-report)
              --room-prefix P             room ids P-0 .. P-(rooms-1)              (load)
              --transport outbox|raw      send through the JVM client's Outbox, or plain POSTs
                                          without it (no retries; to measure the outbox's cost) (outbox)
              --http jdk|socket           HTTP under either: the client's HttpTransport (java.net.http),
                                          or the tool's minimal keep-alive socket client, cheaper (jdk)
              --on-failure discard|retry  a message the outbox gave up on (no answer, 5xx, 429): count it
                                          rejected, or retry it under its client id like a user (discard)
              --phase-mark FILE           when FILE appears, the measured seconds after it are a second
                                          phase: latencies are also given per phase (none)
            The server must allow the load: start it with e.g. --send-rate 100000 --send-burst 100000
            --sign-in-rate 10000 --sign-in-burst 10000 (the defaults allow 20 messages/s per user and 30 sign-ins).""";

    private static final Set<String> FLAGS = Set.of("--url", "--duration", "--warmup", "--rooms", "--senders",
            "--subscribers-per-room", "--message-size", "--rate", "--compression", "--server-pid", "--out", "--room-prefix", "--transport", "--http",
            "--on-failure", "--phase-mark");

    LoadOptions {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host:port, was " + url);
        }
        within("--duration", durationSeconds, 1, 86_400);
        within("--warmup", warmupSeconds, 0, 3_600);
        within("--rooms", rooms, 1, 10_000);
        within("--senders", senders, 0, 4_095);
        within("--subscribers-per-room", subscribersPerRoom, 0, 100_000);
        within("--message-size", messageSize, 1, 4_000);
        within("--rate", rate, 0, 10_000_000);
        if (!roomPrefix.matches("[a-z0-9][a-z0-9-]{0,40}")) {
            throw new IllegalArgumentException("--room-prefix must match [a-z0-9][a-z0-9-]{0,40}, was '" + roomPrefix + "'");
        }
    }

    static LoadOptions defaults() {
        return parse(new String[0]);
    }

    /** Parses {@code --flag value} pairs; throws {@link IllegalArgumentException} with the usage on a mistake. */
    static LoadOptions parse(String[] args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException((flag.equals("--help") || flag.equals("-h") ? "" : "unknown option " + flag + "\n") + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
            }
            v.put(flag, args[++i]);
        }
        String pid = v.get("--server-pid");
        return new LoadOptions(URI.create(v.getOrDefault("--url", "http://127.0.0.1:7070")),
                integer(v, "--duration", 20), integer(v, "--warmup", 5), integer(v, "--rooms", 10),
                integer(v, "--senders", 50), integer(v, "--subscribers-per-room", 10), integer(v, "--message-size", 140),
                integer(v, "--rate", 0), onOff(v.getOrDefault("--compression", "on")),
                pid == null ? OptionalLong.empty() : OptionalLong.of(integer(v, "--server-pid", 0)),
                Path.of(v.getOrDefault("--out", "load-report")), v.getOrDefault("--room-prefix", "load"),
                transport(v.getOrDefault("--transport", "outbox")), http(v.getOrDefault("--http", "jdk")),
                onFailure(v.getOrDefault("--on-failure", "discard")), Optional.ofNullable(v.get("--phase-mark")).map(Path::of));
    }

    String room(int i) {
        return roomPrefix + "-" + i;
    }

    private static int integer(Map<String, String> values, String flag, int otherwise) {
        String v = values.get(flag);
        try {
            return v == null ? otherwise : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, was '" + v + "'");
        }
    }

    private static boolean onOff(String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--compression must be on or off, was '" + v + "'");
        };
    }

    private static boolean transport(String v) {
        return switch (v) {
            case "outbox" -> false;
            case "raw" -> true;
            default -> throw new IllegalArgumentException("--transport must be outbox or raw, was '" + v + "'");
        };
    }

    private static boolean onFailure(String v) {
        return switch (v) {
            case "discard" -> false;
            case "retry" -> true;
            default -> throw new IllegalArgumentException("--on-failure must be discard or retry, was '" + v + "'");
        };
    }

    private static boolean http(String v) {
        return switch (v) {
            case "jdk" -> false;
            case "socket" -> true;
            default -> throw new IllegalArgumentException("--http must be jdk or socket, was '" + v + "'");
        };
    }

    private static void within(String flag, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", was " + v);
        }
    }
}
