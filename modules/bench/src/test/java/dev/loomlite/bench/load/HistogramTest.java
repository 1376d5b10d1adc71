package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void every_value_falls_in_the_bucket_whose_range_holds_it() {
        for (long v = 0; v < 5_000_000; v = v < 200 ? v + 1 : v * 11 / 10) {
            int i = Histogram.index(v);
            assertThat(Histogram.lowest(i)).isLessThanOrEqualTo(v);
            if (i + 1 < Histogram.BUCKETS) {
                assertThat(Histogram.lowest(i + 1)).isGreaterThan(v);
            }
        }
    }

    @Test
    void quantiles_are_within_the_bucket_width_and_the_maximum_is_exact() {
        Histogram h = new Histogram();
        for (int us = 1; us <= 100_000; us++) {
            h.recordMicros(us);
        }

        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.quantileMicros(0.50)).isCloseTo(50_000, within(50_000 * 0.035));
        assertThat((double) h.quantileMicros(0.99)).isCloseTo(99_000, within(99_000 * 0.035));
        assertThat(h.maxMicros()).isEqualTo(100_000);
        assertThat(h.quantileMicros(1.0)).isLessThanOrEqualTo(100_000);
    }

    @Test
    void adding_histograms_adds_their_counts() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        a.recordNanos(5_000);
        b.recordNanos(7_000_000);
        a.add(b);

        assertThat(a.count()).isEqualTo(2);
        assertThat(a.maxMicros()).isEqualTo(7_000);
        assertThat(new Histogram().quantileMicros(0.5)).isZero();
    }
}
