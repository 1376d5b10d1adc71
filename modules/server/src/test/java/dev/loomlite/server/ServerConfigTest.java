package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.sqlite.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void defaults_are_the_documented_ones() {
        ServerConfig c = ServerConfig.parse(new String[0], Map.of());

        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(7070);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sendRate()).isEqualTo(20);
        assertThat(c.sendBurst()).isEqualTo(100);
        assertThat(c.sessions()).isEqualTo(new SessionPolicy(60, 300, 50, 500, Duration.ofDays(1), Duration.ofDays(30),
                Duration.ofDays(90)));
        assertThat(c.metricsToken()).isEmpty();
        assertThat(c.synchronous()).isEqualTo(Synchronous.FULL);
        assertThat(c.trustedProxies()).isEmpty();
        assertThat(c.shards()).isEqualTo(2);
    }

    @Test
    void shards_come_from_the_flag_over_the_environment() {
        assertThat(ServerConfig.parse(new String[0], Map.of("LOOMLITE_SHARDS", "4")).shards()).isEqualTo(4);
        assertThat(ServerConfig.parse(new String[] {"--shards", "1"}, Map.of("LOOMLITE_SHARDS", "4")).shards()).isEqualTo(1);
    }

    @Test
    void a_shard_count_outside_1_to_64_is_refused_with_the_bounds() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--shards", "65"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shards must be between 1 and 64, was 65");
        assertThatThrownBy(() -> ServerConfig.defaults().withShards(0)).hasMessageContaining("was 0");
    }

    @Test
    void an_unknown_flag_lists_every_known_one() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--shard", "4"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option --shard; known: --host, --port, --data,")
                .hasMessageContaining("--trusted-proxies, --shards");
    }

    @Test
    void trusted_proxies_come_from_the_flag_over_the_environment_ipv4_and_ipv6() {
        assertThat(ServerConfig.parse(new String[0], Map.of("LOOMLITE_TRUSTED_PROXIES", " 10.0.0.0/8, ,2001:db8::/32 "))
                .trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(ServerConfig.parse(new String[] {"--trusted-proxies", "127.0.0.1,::1"},
                Map.of("LOOMLITE_TRUSTED_PROXIES", "10.0.0.0/8")).trustedProxies()).containsExactly("127.0.0.1", "::1");
    }

    @Test
    void a_bad_trusted_proxy_entry_is_named_with_its_flag_or_variable() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--trusted-proxies", "10.0.0.0/8,proxy.internal"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--trusted-proxies: ").hasMessageContaining("'proxy.internal'");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("LOOMLITE_TRUSTED_PROXIES", "10.0.0.0/40")))
                .hasMessageStartingWith("LOOMLITE_TRUSTED_PROXIES: ").hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> ServerConfig.defaults().withTrustedProxies(List.of("192.168.1.1/24")))
                .hasMessageContaining("'192.168.1.1/24'").hasMessageContaining("192.168.1.0");
    }

    @Test
    void synchronous_comes_from_the_flag_over_the_environment_in_any_case() {
        assertThat(ServerConfig.parse(new String[0], Map.of("LOOMLITE_SYNCHRONOUS", "normal")).synchronous())
                .isEqualTo(Synchronous.NORMAL);
        assertThat(ServerConfig.parse(new String[] {"--synchronous", "FULL"}, Map.of("LOOMLITE_SYNCHRONOUS", "NORMAL"))
                .synchronous()).isEqualTo(Synchronous.FULL);
    }

    @Test
    void an_unknown_synchronous_level_names_the_source_and_the_choices() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--synchronous", "OFF"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--synchronous must be FULL").hasMessageContaining("or NORMAL").hasMessageContaining("'OFF'");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("LOOMLITE_SYNCHRONOUS", "extra")))
                .hasMessageContaining("LOOMLITE_SYNCHRONOUS must be FULL");
    }

    @Test
    void session_settings_come_from_flags_and_environment() {
        ServerConfig c = ServerConfig.parse(new String[] {"--sign-in-rate", "4", "--session-idle-days", "7"},
                Map.of("LOOMLITE_SIGN_IN_RATE", "50", "LOOMLITE_SIGN_IN_BURST", "8", "LOOMLITE_SESSION_MAX_AGE_DAYS", "14"));

        assertThat(c.sessions()).isEqualTo(new SessionPolicy(4, 8, 50, 500, Duration.ofDays(1), Duration.ofDays(7),
                Duration.ofDays(14)));
    }

    @Test
    void the_global_sign_in_limit_and_the_unused_timeout_come_from_flags_and_environment() {
        ServerConfig c = ServerConfig.parse(new String[] {"--global-sign-in-rate", "5", "--session-unused-hours", "6"},
                Map.of("LOOMLITE_GLOBAL_SIGN_IN_RATE", "70", "LOOMLITE_GLOBAL_SIGN_IN_BURST", "90"));

        assertThat(c.sessions().globalSignInRate()).isEqualTo(5);
        assertThat(c.sessions().globalSignInBurst()).isEqualTo(90);
        assertThat(c.sessions().unusedTimeout()).isEqualTo(Duration.ofHours(6));
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--session-unused-hours", "0"}, Map.of()))
                .hasMessageContaining("--session-unused-hours").hasMessageContaining("1 and 87600");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--global-sign-in-burst", "0"}, Map.of()))
                .hasMessageContaining("globalSignInBurst");
    }

    @Test
    void session_lifetimes_out_of_range_name_the_flag_or_variable() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--session-idle-days", "0"}, Map.of()))
                .hasMessageContaining("--session-idle-days").hasMessageContaining("1 and 3650");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("LOOMLITE_SESSION_MAX_AGE_DAYS", "5000")))
                .hasMessageContaining("LOOMLITE_SESSION_MAX_AGE_DAYS");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--sign-in-burst", "0"}, Map.of())).hasMessageContaining("signInBurst");
    }

    @Test
    void the_metrics_token_is_read_from_METRICS_TOKEN() {
        ServerConfig c = ServerConfig.parse(new String[0], Map.of("METRICS_TOKEN", "  0123456789abcdef-token\n"));

        assertThat(c.metricsToken()).isEqualTo("0123456789abcdef-token");
    }

    @Test
    void a_short_metrics_token_is_refused_without_being_echoed() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("METRICS_TOKEN", "hunter2")))
                .hasMessageContaining("METRICS_TOKEN").hasMessageContaining("16 to 1024").hasMessageNotContaining("hunter2");
    }

    @Test
    void the_metrics_token_is_never_printed() {
        ServerConfig c = ServerConfig.defaults().withMetricsToken("0123456789abcdef-token");

        assertThat(c.toString()).contains("metricsToken=(set)").doesNotContain("0123456789abcdef");
    }

    @Test
    void flags_win_over_environment() {
        ServerConfig c = ServerConfig.parse(new String[] {"--port", "9000", "--send-rate", "5"},
                Map.of("LOOMLITE_PORT", "8000", "LOOMLITE_SEND_RATE", "50", "LOOMLITE_SEND_BURST", "7"));

        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.sendRate()).isEqualTo(5);
        assertThat(c.sendBurst()).isEqualTo(7);
    }

    @Test
    void allowed_origins_are_normalized() {
        ServerConfig c = ServerConfig.parse(new String[] {"--allowed-origins", "HTTPS://Chat.Example.org/, http://localhost:5173,"}, Map.of());

        assertThat(c.allowedOrigins()).containsExactly("https://chat.example.org", "http://localhost:5173");
    }

    @Test
    void malformed_values_name_the_flag_or_variable() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--port", "x"}, Map.of())).hasMessageContaining("--port");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("LOOMLITE_SEND_BURST", "lots"))).hasMessageContaining("LOOMLITE_SEND_BURST");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--send-rate", "0"}, Map.of())).hasMessageContaining("sendRate");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--allowed-origins", "evil.example"}, Map.of())).hasMessageContaining("allowed origin");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--nope", "1"}, Map.of())).hasMessageContaining("--sign-in-rate");
    }

    @Test
    void withers_keep_the_other_settings() {
        ServerConfig c = ServerConfig.defaults().withSendLimit(3, 4).withPort(0).withAllowedOrigins(List.of("http://a.test"));

        assertThat(c.sendRate()).isEqualTo(3);
        assertThat(c.sendBurst()).isEqualTo(4);
        assertThat(c.port()).isZero();
    }

    static final String CLUSTER_TOKEN = "a-cluster-token-of-32-characters-at-least";

    @Test
    void a_cluster_node_is_configured_by_its_map_node_id_and_token_from_the_environment() {
        ServerConfig c = ServerConfig.parse(new String[] {"--cluster-map", "map.json", "--node-id", "n2",
                "--session-cache-ms", "2000", "--cluster-probe-ms", "500"}, Map.of(ClusterOptions.TOKEN_ENV, CLUSTER_TOKEN));

        assertThat(c.cluster().enabled()).isTrue();
        assertThat(c.cluster().mapFile()).contains(java.nio.file.Path.of("map.json"));
        assertThat(c.cluster().nodeId()).isEqualTo("n2");
        assertThat(c.cluster().token()).isEqualTo(CLUSTER_TOKEN);
        assertThat(c.cluster().sessionCacheTtl()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(c.cluster().probeEvery()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(c.toString()).doesNotContain(CLUSTER_TOKEN).contains("nodeId=n2", "token=(set)");
    }

    @Test
    void no_cluster_is_the_default() {
        assertThat(ServerConfig.parse(new String[0], Map.of()).cluster().enabled()).isFalse();
    }

    @Test
    void a_map_without_a_node_id_or_a_token_is_refused_naming_what_is_missing() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--cluster-map", "m.json"},
                Map.of(ClusterOptions.TOKEN_ENV, CLUSTER_TOKEN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --node-id");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--cluster-map", "m.json", "--node-id", "n1"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs " + ClusterOptions.TOKEN_ENV);
    }

    @Test
    void cluster_settings_without_a_map_are_refused() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--node-id", "n1"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need --cluster-map");
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of(ClusterOptions.TOKEN_ENV, CLUSTER_TOKEN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need --cluster-map");
    }

    @Test
    void a_bad_node_id_short_token_or_period_is_refused_with_its_rule() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--cluster-map", "m", "--node-id", "N_1"},
                Map.of(ClusterOptions.TOKEN_ENV, CLUSTER_TOKEN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id must be 1 to 32 of [a-z0-9-]");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--cluster-map", "m", "--node-id", "n1"},
                Map.of(ClusterOptions.TOKEN_ENV, "short")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 to 1024", "was 5 characters")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--cluster-probe-ms", "50"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 100 and 60000 ms, was 50");
    }
}
