package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadIdsTest {
    private final LoadIds ids = new LoadIds(0xBEEF, 1_000_000L);

    @Test
    void an_id_is_shaped_like_a_time_ordered_client_id_and_carries_its_enqueue_time() {
        String id = ids.make(42, 123_456_789L);

        assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
        assertThat(Long.parseLong(id.substring(0, 12), 16)).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.api.Assertions.within(60_000L));
        assertThat(ids.sentNanos(id)).isEqualTo(123_456_789L);
        assertThat(ids.sentNanos("x" + id + "y", 1, 33)).isEqualTo(123_456_789L);
    }

    @Test
    void ids_of_another_run_or_client_carry_no_time() {
        String other = new LoadIds(0x1234, 1_000_000L).make(1, 5_000_000L);

        assertThat(ids.sentNanos(other)).isEqualTo(-1);
        assertThat(ids.sentNanos("c-1")).isEqualTo(-1);
        assertThat(ids.sentNanos("019ac4f1d2c8beefZZZZZZZZZZZZZZZZ")).isEqualTo(-1);
    }

    @Test
    void one_senders_ids_differ_whenever_their_times_do() {
        assertThat(ids.make(1, 2_000_000L)).isNotEqualTo(ids.make(1, 2_000_001L)).isNotEqualTo(ids.make(2, 2_000_000L));
    }
}
