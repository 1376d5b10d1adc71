package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static dev.loomlite.chat.internal.PlacementTest.roomIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.spi.NotOwnerException;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.chat.spi.Topology;
import dev.loomlite.chat.spi.ChatNodes;
import dev.loomlite.chat.spi.NodeChat;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What other nodes ask of an owner. */
class NodeChatTest {
    @TempDir
    Path dir;

    @Test
    void a_batch_of_positions_equals_each_rooms_newest_message() {
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
             NodeChat node = ChatNodes.open(FakeOwner.FOUR, pool, Topology.standalone(4))) {
            List<String> rooms = List.of(roomIn(0), roomIn(1), roomIn(2), roomIn(0) + "-empty");
            for (int i = 0; i < 3; i++) {
                for (int m = 0; m <= i; m++) {
                    node.service().send(request(rooms.get(i), "u1", "c" + i + "-" + m, "hi"));
                }
            }
            List<RoomRef> refs = rooms.stream()
                    .map(room -> new RoomRef(dev.loomlite.chat.spi.Placement.shardOf(room, 4), room, 1)).toList();

            List<RoomPosition.Named> positions = node.positions(refs);

            assertThat(positions).extracting(RoomPosition.Named::roomId).containsExactlyElementsOf(rooms);
            for (RoomPosition.Named named : positions) {
                var newest = node.service().history(named.roomId(), HistoryQuery.latest(1)).messages();
                long last = newest.isEmpty() ? 0 : newest.getLast().seq();
                assertThat(named.position()).isEqualTo(new RoomPosition(1, last, last));
            }
        }
    }

    @Test
    void a_position_of_a_room_owned_elsewhere_is_refused() {
        try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
             NodeChat node = ChatNodes.open(FakeOwner.FOUR, pool,
                     new Topology(NodePlacement.of("n1", 1, 4, 1), dev.loomlite.chat.spi.CommitSink.NONE,
                             dev.loomlite.chat.spi.RoomLog.NONE, dev.loomlite.chat.spi.RemoteFeed.NONE))) {
            assertThatThrownBy(() -> node.positions(List.of(new RoomRef(0, roomIn(0), 1))))
                    .isInstanceOf(NotOwnerException.class);
        }
    }
}
