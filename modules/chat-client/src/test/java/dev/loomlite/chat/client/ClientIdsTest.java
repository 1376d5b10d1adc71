package dev.loomlite.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.chat.InputRules;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientIdsTest {
    @Test
    void ids_are_32_hex_digits_that_the_server_accepts() {
        String id = ClientIds.timeOrdered(new Random(1)).get();

        assertThat(id).matches("[0-9a-f]{32}");
        InputRules.checkClientId(id);
    }

    @Test
    void ids_start_with_the_time_so_later_ids_sort_after_earlier_ones() {
        Instant t = Instant.parse("2026-11-27T09:00:00Z");
        String earlier = ClientIds.timeOrdered(new Random(1), InstantSource.fixed(t)).get();
        String later = ClientIds.timeOrdered(new Random(2), InstantSource.fixed(t.plusMillis(1))).get();

        assertThat(earlier).startsWith(String.format("%012x", t.toEpochMilli()));
        assertThat(earlier).isLessThan(later);
    }

    @Test
    void ids_made_in_the_same_millisecond_differ() {
        var ids = ClientIds.timeOrdered(new Random(3), InstantSource.fixed(Instant.EPOCH));

        assertThat(ids.get()).isNotEqualTo(ids.get());
    }
}
