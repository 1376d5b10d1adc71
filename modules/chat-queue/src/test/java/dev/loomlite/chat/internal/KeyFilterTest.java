package dev.loomlite.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyFilterTest {
    @Test
    void every_key_may_be_contained_until_the_filter_is_loaded() {
        KeyFilter keys = KeyFilter.sized(0);

        assertThat(keys.mightContain("u1", "never-added")).isTrue();
        keys.loaded();
        assertThat(keys.mightContain("u1", "never-added")).isFalse();
    }

    @Test
    void added_keys_are_always_contained_also_after_the_filter_grew_new_layers() {
        KeyFilter keys = KeyFilter.sized(0);
        int n = 300_000; // layers of 65 536, 131 072 and 262 144 keys: three in all
        for (int i = 0; i < n; i++) {
            keys.add("author-" + (i % 977), "client-" + i);
        }
        keys.loaded();

        assertThat(keys.layers()).isEqualTo(3);
        for (int i = 0; i < n; i++) {
            assertThat(keys.mightContain("author-" + (i % 977), "client-" + i)).isTrue();
        }
    }

    @Test
    void keys_never_added_are_rarely_reported_as_contained() {
        KeyFilter keys = KeyFilter.sized(100_000);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            keys.add("u" + random.nextInt(5000), Long.toHexString(random.nextLong()));
        }
        keys.loaded();

        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            if (keys.mightContain("u" + random.nextInt(5000), "absent-" + Long.toHexString(random.nextLong()))) {
                falsePositives++;
            }
        }
        // Filled to half its capacity, the layer's expected rate is far below 1 %; 2 % leaves room for any seed.
        assertThat(falsePositives).isLessThan(probes / 50);
    }

    @Test
    void the_author_and_client_id_boundary_is_part_of_the_key() {
        KeyFilter keys = KeyFilter.sized(0);
        keys.add("ab", "c");
        keys.loaded();

        assertThat(KeyFilter.hash("ab", "c", 1)).isNotEqualTo(KeyFilter.hash("a", "bc", 1));
        assertThat(keys.mightContain("ab", "c")).isTrue();
    }
}
