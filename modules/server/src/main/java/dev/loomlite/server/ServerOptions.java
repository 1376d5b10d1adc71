package dev.loomlite.server;

import dev.loomlite.server.internal.Cidr;
import dev.loomlite.sqlite.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The flags and environment variables of {@link ServerConfig#parse}: one {@link Option} per setting. */
final class ServerOptions {
    private ServerOptions() {
    }

    /** See {@link ServerConfig#parse}. */
    static ServerConfig parse(String[] args, Map<String, String> env) {
        ServerConfig config = ServerConfig.defaults();
        for (Option option : Option.values()) {
            String value = env.get(option.env);
            if (value != null && !value.isBlank()) {
                config = option.apply(config, value.trim(), option.env);
            }
        }
        String token = env.get(ServerConfig.METRICS_TOKEN_ENV);
        if (token != null && !token.isBlank()) {
            config = config.withMetricsToken(token.strip());
        }
        String clusterToken = env.get(ClusterOptions.TOKEN_ENV);
        if (clusterToken != null && !clusterToken.isBlank()) {
            config = config.withCluster(config.cluster().withToken(clusterToken.strip()));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Option option = Option.byFlag(arg);
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            config = option.apply(config, args[++i], arg);
        }
        config.cluster().requireComplete();
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
        TRUSTED_PROXIES("--trusted-proxies", "LOOMLITE_TRUSTED_PROXIES"),
        SHARDS("--shards", "LOOMLITE_SHARDS"),
        CLUSTER_MAP("--cluster-map", "LOOMLITE_CLUSTER_MAP"),
        NODE_ID("--node-id", "LOOMLITE_NODE_ID"),
        SESSION_CACHE("--session-cache-ms", "LOOMLITE_SESSION_CACHE_MS"),
        CLUSTER_PROBE("--cluster-probe-ms", "LOOMLITE_CLUSTER_PROBE_MS");

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
            throw new IllegalArgumentException("unknown option " + flag + "; known: "
                    + Stream.of(values()).map(o -> o.flag).collect(Collectors.joining(", ")));
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
                case SHARDS -> c.withShards(integer(value, source));
                case CLUSTER_MAP -> c.withCluster(c.cluster().withMapFile(Path.of(value)));
                case NODE_ID -> c.withCluster(c.cluster().withNodeId(value.strip()));
                case SESSION_CACHE -> c.withCluster(c.cluster().withSessionCacheTtl(millis(value, source)));
                case CLUSTER_PROBE -> c.withCluster(c.cluster().withProbeEvery(millis(value, source)));
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

        private static Duration millis(String value, String source) {
            int millis = integer(value, source);
            if (millis < 100 || millis > 60_000) {
                throw new IllegalArgumentException(source + " must be between 100 and 60000 ms, was " + millis);
            }
            return Duration.ofMillis(millis);
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
