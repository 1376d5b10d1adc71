package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineTest {
    private final Timeline timeline = new Timeline(4);

    @Test
    void a_delivery_counts_in_all_and_in_the_split_of_its_locality() {
        timeline.begin(0);

        timeline.delivery(1_000, 2_000_000, Nodes.Locality.SAME_NODE);
        timeline.delivery(2_000, 9_000_000, Nodes.Locality.CROSS_NODE);
        timeline.delivery(3_000, 9_000_000, Nodes.Locality.CROSS_NODE);
        timeline.delivery(4_000, 5_000_000, Nodes.Locality.UNKNOWN);

        Timeline.Slot slot = timeline.slot(0);
        assertThat(slot.deliveries.count()).isEqualTo(4);
        assertThat(slot.sameNode.count()).isEqualTo(1);
        assertThat(slot.crossNode.count()).isEqualTo(2);
    }

    @Test
    void the_split_keeps_each_sides_latency() {
        timeline.begin(0);

        timeline.delivery(1_000, 2_000_000, Nodes.Locality.SAME_NODE);
        timeline.delivery(2_000, 40_000_000, Nodes.Locality.CROSS_NODE);

        Timeline.Slot slot = timeline.slot(0);
        assertThat(slot.sameNode.maxMicros()).isLessThan(10_000);
        assertThat(slot.crossNode.quantileMicros(0.5)).isGreaterThan(30_000);
    }
}
