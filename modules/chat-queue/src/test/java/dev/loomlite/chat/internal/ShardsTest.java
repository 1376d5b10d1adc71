package dev.loomlite.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardsTest {
    @Test
    void the_shard_of_a_room_is_a_stable_crc32_of_its_name() {
        // Fixed forever (CRC32 of the UTF-8 bytes): a different value would move rooms between files.
        assertThat(Shards.of("general", 1)).isZero();
        assertThat(Shards.of("general", 4)).isEqualTo(2);
        assertThat(Shards.of("general", 7)).isEqualTo(4);
        assertThat(Shards.of("random", 4)).isEqualTo(1);
        assertThat(Shards.databaseName(3)).isEqualTo("chat-3");
    }

    @Test
    void message_ids_carry_their_shard_and_row_and_stay_javascript_safe() {
        long id = Shards.messageId(12345, 5);

        assertThat(Shards.shardOf(id)).isEqualTo(5);
        assertThat(Shards.rowidOf(id)).isEqualTo(12345);
        assertThat(Shards.messageId((1L << 47) - 1, 63)).isEqualTo((1L << 53) - 1);
    }
}
