package dev.loomlite.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@link E2eLoad}, validated when built.
 *
 * @param urls               the running server, or the nodes of a cluster ({@code --url A,B,C}, default
 *                           http://127.0.0.1:7070): sender {@code j} sends through node {@code j % n} (see
 *                           {@code sendVia}), subscriber {@code k} of a room connects to node {@code k % n}; sign-in,
 *                           the rooms' last seqs and the verifier's history go through the first
 * @param durationSeconds    the measured part ({@code --duration}, default 20)
 * @param warmupSeconds      sending before it, shown in the time series but not in the summary ({@code --warmup}, 5)
 * @param rooms              rooms {@code <prefix>-0 .. <prefix>-(n-1)} ({@code --rooms}, 10)
 * @param senders            users sending, each to room {@code i % rooms} ({@code --senders}, 50); 0 for idle subscribers
 * @param subscribersPerRoom WebSocket subscribers of each room ({@code --subscribers-per-room}, 10)
 * @param messageSize        characters of content per message, ASCII ({@code --message-size}, 140)
 * @param rate               target messages/s over all senders; 0: each sender as fast as its acks ({@code --rate}, 0)
 * @param compression        subscribers offer permessage-deflate ({@code --compression on|off}, on)
 * @param serverPids         the server's processes (one per node) for CPU and RSS from /proc ({@code --server-pid p1,p2});
 *                           CPU is summed over them and also given per process, RSS per process
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
 * @param shards             the cluster's shard count ({@code --shards}, 0 = unknown): shard {@code s} is owned by
 *                           node {@code s % n} in {@code --url} order; with it, delivery latency is split into
 *                           same-node (the subscriber's node owns the room) and cross-node
 * @param sendVia            which node a sender sends through ({@code --send-via spread|owner|non-owner}, spread)
 */
record LoadOptions(List<URI> urls, int durationSeconds, int warmupSeconds, int rooms, int senders, int subscribersPerRoom,
                   int messageSize, int rate, boolean compression, List<Long> serverPids, Path out, String roomPrefix,
                   boolean rawTransport, boolean socketHttp, boolean retryFailed, Optional<Path> phaseMark,
                   int shards, Nodes.SendVia sendVia) {
    static final String USAGE = """
            Usage: e2e-load.sh [options]   (a running Loomlite server; loopback only)
              --url URL[,URL...]          server base URL, or a cluster's nodes: sender j sends through
                                          node j % n, subscriber k of a room connects to node k % n;
                                          sign-in and the verifier use the first  (http://127.0.0.1:7070)
              --shards S                  the cluster's shards; shard s is owned by node s % n (in --url
                                          order): delivery latency is split same-node / cross-node (0 = unknown)
              --send-via spread|owner|non-owner  round robin over the nodes, the room's owner, or the
                                          nodes that do not own it in turn (owner, non-owner need --shards) (spread)
              --duration S                measured seconds                         (20)
              --warmup S                  seconds sent before, not in the summary  (5)
              --rooms N                   rooms                                    (10)
              --senders N                 sending users, closed loop each; 0: idle subscribers only (50)
              --subscribers-per-room N    WebSocket subscribers per room           (10)
              --message-size N            characters of content                    (140)
              --rate N                    target messages/s in all, 0 = as fast as acks allow (0)
              --compression on|off        subscribers offer permessage-deflate     (on)
              --server-pid PID[,PID...]   read the server's (each node's) CPU and RSS from /proc (none)
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
            "--on-failure", "--phase-mark", "--shards", "--send-via");

    LoadOptions {
        urls = List.copyOf(urls);
        serverPids = List.copyOf(serverPids);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--url needs at least one URL");
        }
        for (URI url : urls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("--url must be http://host:port[,http://host:port...], was " + url);
            }
        }
        if (Set.copyOf(urls).size() != urls.size()) {
            throw new IllegalArgumentException("--url lists a node twice: " + urls);
        }
        for (long pid : serverPids) {
            if (pid < 1) {
                throw new IllegalArgumentException("--server-pid must be process ids above 0, was " + pid);
            }
        }
        new Nodes(urls.size(), shards, sendVia); // validates --shards and --send-via against the URLs
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
        return new LoadOptions(list(v, "--url", "http://127.0.0.1:7070").stream().map(LoadOptions::uri).toList(),
                integer(v, "--duration", 20), integer(v, "--warmup", 5), integer(v, "--rooms", 10),
                integer(v, "--senders", 50), integer(v, "--subscribers-per-room", 10), integer(v, "--message-size", 140),
                integer(v, "--rate", 0), onOff(v.getOrDefault("--compression", "on")),
                list(v, "--server-pid", "").stream().map(LoadOptions::pid).toList(),
                Path.of(v.getOrDefault("--out", "load-report")), v.getOrDefault("--room-prefix", "load"),
                transport(v.getOrDefault("--transport", "outbox")), http(v.getOrDefault("--http", "jdk")),
                onFailure(v.getOrDefault("--on-failure", "discard")), Optional.ofNullable(v.get("--phase-mark")).map(Path::of),
                integer(v, "--shards", 0), sendVia(v.getOrDefault("--send-via", "spread")));
    }

    /** The first URL: sign-in, the rooms' last seqs and the verifier's history go through it. */
    URI url() {
        return urls.getFirst();
    }

    /** Where senders and subscribers go, and which node owns each room. */
    Nodes nodes() {
        return new Nodes(urls.size(), shards, sendVia);
    }

    /** A comma-separated list, blanks dropped; empty when the flag is absent and {@code otherwise} is blank. */
    private static List<String> list(Map<String, String> values, String flag, String otherwise) {
        return Arrays.stream(values.getOrDefault(flag, otherwise).split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static URI uri(String v) {
        try {
            return new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url must be http://host:port[,http://host:port...], was '" + v + "'");
        }
    }

    private static long pid(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--server-pid must be process ids separated by commas, was '" + v + "'");
        }
    }

    private static Nodes.SendVia sendVia(String v) {
        return switch (v) {
            case "spread" -> Nodes.SendVia.SPREAD;
            case "owner" -> Nodes.SendVia.OWNER;
            case "non-owner" -> Nodes.SendVia.NON_OWNER;
            default -> throw new IllegalArgumentException("--send-via must be spread, owner or non-owner, was '" + v + "'");
        };
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
