package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--nope", "1"}, Map.of())).hasMessageContaining("--send-burst");
    }

    @Test
    void withers_keep_the_other_settings() {
        ServerConfig c = ServerConfig.defaults().withSendLimit(3, 4).withPort(0).withAllowedOrigins(List.of("http://a.test"));

        assertThat(c.sendRate()).isEqualTo(3);
        assertThat(c.sendBurst()).isEqualTo(4);
        assertThat(c.port()).isZero();
    }
}
