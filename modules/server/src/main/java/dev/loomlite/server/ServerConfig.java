package dev.loomlite.server;

import dev.loomlite.server.internal.Cidr;
import dev.loomlite.sqlite.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The server's settings, from flags and environment (flags win), validated when built.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.parse(args, System.getenv());   // --port 7070 --data ./data
 * ServerConfig test = ServerConfig.defaults().withPort(0).withDataDir(tempDir);
 * }</pre>
 *
 * @param host           interface to bind ({@code --host}, {@code LOOMLITE_HOST}); default 127.0.0.1
 * @param port           TCP port ({@code --port}, {@code LOOMLITE_PORT}); 0 picks a free one; default 7070
 * @param dataDir        folder of the SQLite files ({@code --data}, {@code LOOMLITE_DATA}); default ./data
 * @param allowedOrigins extra WebSocket origins besides the server's own ({@code --allowed-origins},
 *                       {@code LOOMLITE_ALLOWED_ORIGINS}, comma separated)
 * @param shutdownGrace  how long a graceful stop may take ({@code --shutdown-grace-ms},
 *                       {@code LOOMLITE_SHUTDOWN_GRACE_MS}); default 10 s
 * @param sendRate       messages per second one session may send on average ({@code --send-rate},
 *                       {@code LOOMLITE_SEND_RATE}), 1..100000; default 20
 * @param sendBurst      messages one session may send at once before the rate applies ({@code --send-burst},
 *                       {@code LOOMLITE_SEND_BURST}), 1..100000; default 100
 * @param sessions       the sign-in limits (per client address, for the whole server) and the sessions' lifetime
 *                       (see {@link SessionPolicy})
 * @param metricsToken   the bearer token {@code /metrics} requires ({@code METRICS_TOKEN}, environment only, so that
 *                       it never shows in a process list); empty (the default) serves {@code /metrics} to loopback
 *                       clients only. 16..1024 visible ASCII characters when set; never printed by {@link #toString()}
 * @param synchronous    {@code PRAGMA synchronous} of the chat shards and the sessions database ({@code --synchronous},
 *                       {@code LOOMLITE_SYNCHRONOUS}, {@code FULL} or {@code NORMAL}); default {@code FULL}: a message
 *                       is answered 201 only after its commit reached the disk, so it survives an OS crash or power
 *                       loss. {@code NORMAL} survives a process crash only: an OS crash or power loss may lose the last
 *                       acknowledged messages and sign-ins (see the README)
 * @param trustedProxies the reverse proxies whose forwarding headers are believed ({@code --trusted-proxies},
 *                       {@code LOOMLITE_TRUSTED_PROXIES}, comma separated): IPv4 and IPv6 CIDR blocks or single
 *                       addresses; default none. Only a request whose TCP peer lies in one of them has its client
 *                       address, scheme and host taken from {@code Forwarded} / {@code X-Forwarded-*}
 * @param shards         chat database files the rooms are spread over ({@code --shards}, {@code LOOMLITE_SHARDS}),
 *                       1..64, one writer thread each; default 2. Fixed once the files exist: each records the count,
 *                       and a start with another count stops with a message naming both
 * @param cluster        whether and how this server is a node of a cluster ({@link ClusterOptions}); default none
 */
public record ServerConfig(String host, int port, Path dataDir, List<String> allowedOrigins, Duration shutdownGrace,
                           int sendRate, int sendBurst, SessionPolicy sessions, String metricsToken,
                           Synchronous synchronous, List<String> trustedProxies, int shards, ClusterOptions cluster) {
    /** The environment variable of {@link #metricsToken()}. */
    public static final String METRICS_TOKEN_ENV = "METRICS_TOKEN";
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{16,1024}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[a-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9a-f:.]+\\](:[0-9]{1,5})?");

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(metricsToken, "metricsToken");
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(cluster, "cluster");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be >= 0, was " + shutdownGrace);
        }
        if (sendRate < 1 || sendRate > 100_000) {
            throw new IllegalArgumentException("sendRate must be between 1 and 100000 messages/s, was " + sendRate);
        }
        if (sendBurst < 1 || sendBurst > 100_000) {
            throw new IllegalArgumentException("sendBurst must be between 1 and 100000 messages, was " + sendBurst);
        }
        if (shards < 1 || shards > 64) {
            throw new IllegalArgumentException("shards must be between 1 and 64, was " + shards);
        }
        if (!metricsToken.isEmpty() && !TOKEN.matcher(metricsToken).matches()) {
            // The length only: the value is a secret.
            throw new IllegalArgumentException(METRICS_TOKEN_ENV + " must be 16 to 1024 visible ASCII characters without "
                    + "spaces, was " + metricsToken.length() + " characters");
        }
        allowedOrigins = allowedOrigins.stream().map(ServerConfig::origin).distinct().toList();
        trustedProxies = trustedProxies.stream().map(entry -> Cidr.parse(entry).toString()).distinct().toList();
    }

    /** {@code scheme://host[:port]} in lower case, without a trailing slash. */
    private static String origin(String value) {
        String origin = value.strip().toLowerCase(Locale.ROOT);
        if (origin.endsWith("/")) {
            origin = origin.substring(0, origin.length() - 1);
        }
        if (!ORIGIN.matcher(origin).matches()) {
            throw new IllegalArgumentException("allowed origin must look like https://host[:port], was '" + value + "'");
        }
        return origin;
    }

    /**
     * 127.0.0.1:7070, data under ./data, 10 s grace, 20 messages/s per session with bursts of 100,
     * {@link SessionPolicy#defaults()}, no metrics token (metrics for loopback clients only), {@code synchronous=FULL},
     * no trusted proxy, 2 chat shards.
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 7070, Path.of("data"), List.of(), Duration.ofSeconds(10), 20, 100,
                SessionPolicy.defaults(), "", Synchronous.FULL, List.of(), 2, ClusterOptions.none());
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    public ServerConfig withAllowedOrigins(List<String> origins) {
        return new ServerConfig(host, port, dataDir, origins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, grace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    /** The per-session send limit: {@code rate} messages per second on average, {@code burst} at once. */
    public ServerConfig withSendLimit(int rate, int burst) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, rate, burst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    public ServerConfig withSessions(SessionPolicy sessions) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    /** The per-address sign-in limit: {@code rate} sign-ins per minute on average, {@code burst} at once. */
    public ServerConfig withSignInLimit(int rate, int burst) {
        return withSessions(sessions.withSignInLimit(rate, burst));
    }

    /** The whole server's sign-in limit: {@code rate} sign-ins per second on average, {@code burst} at once. */
    public ServerConfig withGlobalSignInLimit(int rate, int burst) {
        return withSessions(sessions.withGlobalSignInLimit(rate, burst));
    }

    /** {@code /metrics} then requires {@code Authorization: Bearer <token>}; empty serves loopback clients only. */
    public ServerConfig withMetricsToken(String token) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, token, synchronous, trustedProxies, shards, cluster);
    }

    /** {@code PRAGMA synchronous} of every database the server opens: {@code FULL} (the default) or {@code NORMAL}. */
    public ServerConfig withSynchronous(Synchronous synchronous) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst, sessions,
                metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    /**
     * The reverse proxies whose forwarding headers are believed: CIDR blocks ({@code 10.0.0.0/8},
     * {@code 2001:db8::/32}) or single addresses; empty (the default) believes none.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IPv4 or IPv6 block
     */
    public ServerConfig withTrustedProxies(List<String> cidrs) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst, sessions,
                metricsToken, synchronous, cidrs, shards, cluster);
    }

    /** The chat database files the rooms are spread over, 1..64 (must match the files of an existing data folder). */
    public ServerConfig withShards(int shards) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst, sessions,
                metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    /** Makes this server a node of a cluster (or not, with {@link ClusterOptions#none()}). */
    public ServerConfig withCluster(ClusterOptions cluster) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst, sessions,
                metricsToken, synchronous, trustedProxies, shards, cluster);
    }

    /** Every setting but the metrics token, which is shown only as set or not. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", allowedOrigins=" + allowedOrigins
                + ", shutdownGrace=" + shutdownGrace + ", sendRate=" + sendRate + ", sendBurst=" + sendBurst
                + ", sessions=" + sessions + ", metricsToken=" + (metricsToken.isEmpty() ? "(none)" : "(set)")
                + ", synchronous=" + synchronous + ", trustedProxies=" + trustedProxies + ", shards=" + shards
                + ", cluster=" + cluster + "]";
    }

    /**
     * Reads {@code LOOMLITE_*} variables and {@value #METRICS_TOKEN_ENV}, then {@code --name value} flags over them.
     *
     * @throws IllegalArgumentException naming the flag or variable that is unknown or malformed
     */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        return ServerOptions.parse(args, env);
    }
}
