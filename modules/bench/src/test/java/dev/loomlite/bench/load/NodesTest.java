package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The cluster's placement as the tool sees it: 12 shards over 3 nodes, shard s owned by node s % 3. The expected
 * shards are CRC32 values computed outside Java (load-0: 522262471 % 12 = 7; load-2: 4046419691 % 12 = 11, a CRC
 * above 2^31 that a signed int would get wrong; load-3: 2250786429 % 12 = 9).
 */
class NodesTest {
    private static final Nodes SPREAD = new Nodes(3, 12, Nodes.SendVia.SPREAD);

    @Test
    void the_shard_is_the_unsigned_crc32_of_the_room_modulo_the_shards() {
        assertThat(Nodes.shardOf("load-0", 12)).isEqualTo(7);
        assertThat(Nodes.shardOf("load-2", 12)).isEqualTo(11);
        assertThat(Nodes.shardOf("load-3", 12)).isEqualTo(9);
    }

    @Test
    void shard_s_is_owned_by_node_s_modulo_the_nodes() {
        assertThat(SPREAD.ownerOf("load-0")).isEqualTo(1); // shard 7
        assertThat(SPREAD.ownerOf("load-2")).isEqualTo(2); // shard 11
        assertThat(SPREAD.ownerOf("load-3")).isZero(); // shard 9
    }

    @Test
    void a_subscriber_on_the_owner_is_same_node_and_on_any_other_cross_node() {
        assertThat(SPREAD.locality(1, "load-0")).isEqualTo(Nodes.Locality.SAME_NODE);
        assertThat(SPREAD.locality(0, "load-0")).isEqualTo(Nodes.Locality.CROSS_NODE);
        assertThat(SPREAD.locality(2, "load-0")).isEqualTo(Nodes.Locality.CROSS_NODE);
    }

    @Test
    void without_shards_the_locality_is_unknown() {
        Nodes unknown = new Nodes(3, 0, Nodes.SendVia.SPREAD);

        assertThat(IntStream.range(0, 3).mapToObj(n -> unknown.locality(n, "load-0"))).containsOnly(Nodes.Locality.UNKNOWN);
    }

    @Test
    void subscribers_of_a_room_go_round_robin_over_the_nodes() {
        assertThat(IntStream.range(0, 5).map(SPREAD::subscriberNode)).containsExactly(0, 1, 2, 0, 1);
    }

    @Test
    void spread_sends_through_node_sender_modulo_nodes_whoever_owns_the_room() {
        assertThat(IntStream.range(0, 4).map(j -> SPREAD.senderNode(j, "load-0"))).containsExactly(0, 1, 2, 0);
    }

    @Test
    void owner_sends_through_the_rooms_owner() {
        Nodes owner = new Nodes(3, 12, Nodes.SendVia.OWNER);

        assertThat(IntStream.range(0, 3).map(j -> owner.senderNode(j, "load-2"))).containsOnly(2);
    }

    @Test
    void non_owner_rotates_among_the_nodes_that_do_not_own_the_room() {
        Nodes nonOwner = new Nodes(3, 12, Nodes.SendVia.NON_OWNER);

        assertThat(IntStream.range(0, 4).map(j -> nonOwner.senderNode(j, "load-0"))).containsExactly(2, 0, 2, 0);
    }
}
