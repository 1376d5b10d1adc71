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
import java.util.stream.Stream;

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
 */
public record ServerConfig(String host, int port, Path dataDir, List<String> allowedOrigins, Duration shutdownGrace,
                           int sendRate, int sendBurst, SessionPolicy sessions, String metricsToken,
                           Synchronous synchronous, List<String> trustedProxies) {
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
     * no trusted proxy.
     */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 7070, Path.of("data"), List.of(), Duration.ofSeconds(10), 20, 100,
                SessionPolicy.defaults(), "", Synchronous.FULL, List.of());
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies);
    }

    public ServerConfig withDataDir(Path dataDir) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies);
    }

    public ServerConfig withAllowedOrigins(List<String> origins) {
        return new ServerConfig(host, port, dataDir, origins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, grace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies);
    }

    /** The per-session send limit: {@code rate} messages per second on average, {@code burst} at once. */
    public ServerConfig withSendLimit(int rate, int burst) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, rate, burst,
                sessions, metricsToken, synchronous, trustedProxies);
    }

    public ServerConfig withSessions(SessionPolicy sessions) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst,
                sessions, metricsToken, synchronous, trustedProxies);
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
                sessions, token, synchronous, trustedProxies);
    }

    /** {@code PRAGMA synchronous} of every database the server opens: {@code FULL} (the default) or {@code NORMAL}. */
    public ServerConfig withSynchronous(Synchronous synchronous) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst, sessions,
                metricsToken, synchronous, trustedProxies);
    }

    /**
     * The reverse proxies whose forwarding headers are believed: CIDR blocks ({@code 10.0.0.0/8},
     * {@code 2001:db8::/32}) or single addresses; empty (the default) believes none.
     *
     * @throws IllegalArgumentException naming the first entry that is not an IPv4 or IPv6 block
     */
    public ServerConfig withTrustedProxies(List<String> cidrs) {
        return new ServerConfig(host, port, dataDir, allowedOrigins, shutdownGrace, sendRate, sendBurst, sessions,
                metricsToken, synchronous, cidrs);
    }

    /** Every setting but the metrics token, which is shown only as set or not. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", allowedOrigins=" + allowedOrigins
                + ", shutdownGrace=" + shutdownGrace + ", sendRate=" + sendRate + ", sendBurst=" + sendBurst
                + ", sessions=" + sessions + ", metricsToken=" + (metricsToken.isEmpty() ? "(none)" : "(set)")
                + ", synchronous=" + synchronous + ", trustedProxies=" + trustedProxies + "]";
    }

    /**
     * Reads {@code LOOMLITE_*} variables and {@value #METRICS_TOKEN_ENV}, then {@code --name value} flags over them.
     *
     * @throws IllegalArgumentException naming the flag or variable that is unknown or malformed
     */
    public static ServerConfig parse(String[] args, Map<String, String> env) {
        ServerConfig config = defaults();
        for (Option option : Option.values()) {
            String value = env.get(option.env);
            if (value != null && !value.isBlank()) {
                config = option.apply(config, value.trim(), option.env);
            }
        }
        String token = env.get(METRICS_TOKEN_ENV);
        if (token != null && !token.isBlank()) {
            config = config.withMetricsToken(token.strip());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Option option = Option.byFlag(arg);
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            config = option.apply(config, args[++i], arg);
        }
        return config;
    }

    /** The flags and variables {@link #parse} understands. */
    private enum Option {
        HOST("--host", "LOOMLITE_HOST"),
        PORT("--port", "LOOMLITE_PORT"),
        DATA("--data", "LOOMLITE_DATA"),
        ORIGINS("--allowed-origins", "LOOMLITE_ALLOWED_ORIGINS"),
        GRACE("--shutdown-grace-ms", "LOOMLITE_SHUTDOWN_GRACE_MS"),
        SEND_RATE("--send-rate", "LOOMLITE_SEND_RATE"),
        SEND_BURST("--send-burst", "LOOMLITE_SEND_BURST"),
        SIGN_IN_RATE("--sign-in-rate", "LOOMLITE_SIGN_IN_RATE"),
        SIGN_IN_BURST("--sign-in-burst", "LOOMLITE_SIGN_IN_BURST"),
        GLOBAL_SIGN_IN_RATE("--global-sign-in-rate", "LOOMLITE_GLOBAL_SIGN_IN_RATE"),
        GLOBAL_SIGN_IN_BURST("--global-sign-in-burst", "LOOMLITE_GLOBAL_SIGN_IN_BURST"),
        SESSION_UNUSED("--session-unused-hours", "LOOMLITE_SESSION_UNUSED_HOURS"),
        SESSION_IDLE("--session-idle-days", "LOOMLITE_SESSION_IDLE_DAYS"),
        SESSION_MAX_AGE("--session-max-age-days", "LOOMLITE_SESSION_MAX_AGE_DAYS"),
        SYNCHRONOUS("--synchronous", "LOOMLITE_SYNCHRONOUS"),
        TRUSTED_PROXIES("--trusted-proxies", "LOOMLITE_TRUSTED_PROXIES");

        final String flag;
        final String env;

        Option(String flag, String env) {
            this.flag = flag;
            this.env = env;
        }

        static Option byFlag(String flag) {
            for (Option o : values()) {
                if (o.flag.equals(flag)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown option " + flag + "; known: --host, --port, --data, --allowed-origins, "
                    + "--shutdown-grace-ms, --send-rate, --send-burst, --sign-in-rate, --sign-in-burst, --global-sign-in-rate, "
                    + "--global-sign-in-burst, --session-unused-hours, --session-idle-days, --session-max-age-days, --synchronous, "
                    + "--trusted-proxies");
        }

        ServerConfig apply(ServerConfig c, String value, String source) {
            return switch (this) {
                case HOST -> c.withHost(value);
                case PORT -> c.withPort(integer(value, source));
                case DATA -> c.withDataDir(Path.of(value));
                case ORIGINS -> c.withAllowedOrigins(Stream.of(value.split(",")).map(String::strip).filter(o -> !o.isEmpty()).toList());
                case GRACE -> c.withShutdownGrace(Duration.ofMillis(integer(value, source)));
                case SEND_RATE -> c.withSendLimit(integer(value, source), c.sendBurst());
                case SEND_BURST -> c.withSendLimit(c.sendRate(), integer(value, source));
                case SIGN_IN_RATE -> c.withSignInLimit(integer(value, source), c.sessions().signInBurst());
                case SIGN_IN_BURST -> c.withSignInLimit(c.sessions().signInRate(), integer(value, source));
                case GLOBAL_SIGN_IN_RATE -> c.withGlobalSignInLimit(integer(value, source), c.sessions().globalSignInBurst());
                case GLOBAL_SIGN_IN_BURST -> c.withGlobalSignInLimit(c.sessions().globalSignInRate(), integer(value, source));
                case SESSION_UNUSED -> c.withSessions(c.sessions().withUnusedTimeout(hours(value, source)));
                case SESSION_IDLE -> c.withSessions(c.sessions().withLifetime(days(value, source), c.sessions().maxAge()));
                case SESSION_MAX_AGE -> c.withSessions(c.sessions().withLifetime(c.sessions().idleTimeout(), days(value, source)));
                case SYNCHRONOUS -> c.withSynchronous(synchronous(value, source));
                case TRUSTED_PROXIES -> c.withTrustedProxies(cidrs(value, source));
            };
        }

        private static List<String> cidrs(String value, String source) {
            List<String> cidrs = Stream.of(value.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
            try {
                cidrs.forEach(Cidr::parse);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
            }
            return cidrs;
        }

        private static Synchronous synchronous(String value, String source) {
            return switch (value.strip().toUpperCase(Locale.ROOT)) {
                case "FULL" -> Synchronous.FULL;
                case "NORMAL" -> Synchronous.NORMAL;
                default -> throw new IllegalArgumentException(source + " must be FULL (a message is answered once it is on"
                        + " disk) or NORMAL (faster; an OS crash or power loss may lose the last answered messages), was '"
                        + value + "'");
            };
        }

        private static Duration days(String value, String source) {
            int days = integer(value, source);
            if (days < 1 || days > 3650) {
                throw new IllegalArgumentException(source + " must be between 1 and 3650 days, was " + days);
            }
            return Duration.ofDays(days);
        }

        private static Duration hours(String value, String source) {
            int hours = integer(value, source);
            if (hours < 1 || hours > 87_600) {
                throw new IllegalArgumentException(source + " must be between 1 and 87600 hours, was " + hours);
            }
            return Duration.ofHours(hours);
        }

        private static int integer(String value, String source) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + " must be an integer, was '" + value + "'", e);
            }
        }
    }
}
