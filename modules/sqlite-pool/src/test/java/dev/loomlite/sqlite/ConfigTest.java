package dev.loomlite.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static final Path DIR = Path.of("data");

    @Test
    void environment_names_from_the_original_plan_set_readers_queue_and_mode() {
        PoolConfig config = PoolConfig.builder(DIR).environment(Map.of(
                "SQLITE_WORKER_COUNT", "3", "SQLITE_MAX_QUEUE_SIZE", "250", "USE_SQLITE_WORKERS", "0")).build();

        assertThat(config.readers()).isEqualTo(3);
        assertThat(config.maxQueue()).isEqualTo(250);
        assertThat(config.useWorkers()).isFalse();
    }

    @Test
    void defaults_apply_when_the_environment_is_silent() {
        PoolConfig config = PoolConfig.builder(DIR).environment(Map.of()).build();

        assertThat(config.maxQueue()).isEqualTo(1000);
        assertThat(config.useWorkers()).isTrue();
        assertThat(config.writers()).isEqualTo(1);
        assertThat(config.saturation()).isEqualTo(Saturation.REJECT);
        assertThat(config.synchronous()).isEqualTo(Synchronous.FULL);
        assertThat(config.maxOpenCursors()).isEqualTo(64);
    }

    @Test
    void a_malformed_environment_value_names_the_variable() {
        assertThatThrownBy(() -> PoolConfig.builder(DIR).environment(Map.of("SQLITE_WORKER_COUNT", "four")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SQLITE_WORKER_COUNT");
        assertThatThrownBy(() -> PoolConfig.builder(DIR).environment(Map.of("USE_SQLITE_WORKERS", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USE_SQLITE_WORKERS");
    }

    @Test
    void out_of_range_values_are_rejected_with_the_bound() {
        assertThatThrownBy(() -> PoolConfig.builder(DIR).readers(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("readers must be between 1 and 64");
        assertThatThrownBy(() -> PoolConfig.builder(DIR).maxOpenCursors(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxOpenCursors must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> PoolConfig.builder(DIR).defaultTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultTimeout");
        assertThatThrownBy(() -> PoolConfig.builder(DIR)
                .migrations(java.util.List.of(Migration.sql(1, "a", "SELECT 1"), Migration.sql(1, "b", "SELECT 1")))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    @Test
    void to_builder_round_trips_a_configuration() {
        PoolConfig config = PoolConfig.builder(DIR).readers(5).maxBatch(7).maxOpenCursors(3).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
