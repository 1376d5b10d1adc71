package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.spi.Placement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapPlacementTest {
    @TempDir
    Path dir;

    private ShardMapFile map;

    @BeforeEach
    void readMap() throws IOException {
        map = ShardMapFile.read(Files.writeString(dir.resolve("map.json"), ShardMapFileTest.valid().toString()));
    }

    @Test
    void owners_and_version_come_from_the_map() {
        Placement placement = new MapPlacement(map, "n1");

        assertThat(placement.shards()).isEqualTo(4);
        assertThat(placement.nodeId()).isEqualTo("n1");
        assertThat(placement.mapVersion()).isEqualTo(2);
        assertThat(placement.owner(0)).isEqualTo("n1");
        assertThat(placement.owner(3)).isEqualTo("n2");
    }

    @Test
    void a_node_owns_exactly_its_assigned_shards() {
        Placement placement = new MapPlacement(map, "n2");

        assertThat(placement.owns(1)).isTrue();
        assertThat(placement.owns(3)).isTrue();
        assertThat(placement.owns(0)).isFalse();
        assertThat(placement.owns(2)).isFalse();
    }

    @Test
    void only_shards_assigned_since_version_1_may_be_created() {
        Placement placement = new MapPlacement(map, "n2");

        assertThat(placement.mayCreate(1)).isTrue();
        assertThat(placement.mayCreate(3)).isFalse();
    }

    @Test
    void a_shard_outside_the_map_is_refused() {
        Placement placement = new MapPlacement(map, "n1");

        assertThatThrownBy(() -> placement.owner(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void a_node_missing_from_the_map_has_no_placement() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MapPlacement(map, "n3"))
                .withMessageContaining("nodes has no node 'n3'");
    }
}
