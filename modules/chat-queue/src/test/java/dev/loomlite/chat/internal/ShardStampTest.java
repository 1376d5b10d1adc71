package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static dev.loomlite.chat.internal.PlacementTest.roomIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatException;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard file records the node that owns it, and no other node writes it unless its map is newer. */
class ShardStampTest {
    static final ChatConfig FOUR = ChatConfig.defaults().withShards(4);

    @TempDir
    Path dir;

    @Test
    void a_single_server_stamps_nothing() {
        openAndClose(Placement.standalone(4));

        assertThat(stamp(1)).isEmpty();
        assertThat(epochRows(1)).isZero();
    }

    @Test
    void a_cluster_node_stamps_each_file_it_opens_with_its_id_and_map_version_and_epoch_1() {
        openAndClose(NodePlacement.of("n1", 3, 4, 1, 3));

        assertThat(stamp(1)).contains(new ShardStamp.Stamp("n1", 3));
        assertThat(stamp(3)).contains(new ShardStamp.Stamp("n1", 3));
        assertThat(epochRows(1)).isEqualTo(1);
    }

    @Test
    void the_same_node_with_a_newer_map_restamps_the_file() {
        openAndClose(NodePlacement.of("n1", 3, 4, 1));
        openAndClose(NodePlacement.of("n1", 5, 4, 1));

        assertThat(stamp(1)).contains(new ShardStamp.Stamp("n1", 5));
    }

    @Test
    void the_same_node_with_an_older_map_is_refused() {
        openAndClose(NodePlacement.of("n1", 5, 4, 1));

        assertThatThrownBy(() -> openAndClose(NodePlacement.of("n1", 4, 4, 1)))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("chat-1.db was stamped by node 'n1' at map version 5", "map version 4, older");
        assertThat(stamp(1)).contains(new ShardStamp.Stamp("n1", 5));
    }

    @Test
    void another_node_with_the_same_map_version_is_refused_and_the_stamp_is_unchanged() {
        openAndClose(NodePlacement.of("n2", 3, 4, 1));

        assertThatThrownBy(() -> openAndClose(NodePlacement.of("n3", 3, 4, 1)))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("chat-1.db was stamped by node 'n2' at map version 3",
                        "this node ('n3') has map version 3, not newer", "does not own this file");
        assertThat(stamp(1)).contains(new ShardStamp.Stamp("n2", 3));
    }

    @Test
    void another_node_with_a_newer_map_takes_the_file_over_and_its_rooms_continue() {
        String room = roomIn(1);
        try (SqlitePool pool = pool(); ChatServiceImpl chat = open(pool, NodePlacement.of("n2", 3, 4, 1))) {
            chat.send(request(room, "u1", "c1", "first"));
        }

        try (SqlitePool pool = pool(); ChatServiceImpl chat = open(pool, NodePlacement.of("n3", 4, 4, 1).movedHere(1))) {
            assertThat(chat.send(request(room, "u1", "c2", "second")).message().seq()).isEqualTo(2);
        }
        assertThat(stamp(1)).contains(new ShardStamp.Stamp("n3", 4));
    }

    @Test
    void a_single_server_refuses_a_file_a_cluster_node_stamped() {
        openAndClose(NodePlacement.of("n1", 1, 4, 0, 1, 2, 3));

        assertThatThrownBy(() -> openAndClose(Placement.standalone(4)))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("stamped by node 'n1' at map version 1", "('standalone') has map version 0");
    }

    @Test
    void a_missing_file_of_a_shard_that_moved_here_fails_the_start_and_creates_nothing() {
        assertThatThrownBy(() -> openAndClose(NodePlacement.of("n3", 4, 4, 1, 2).movedHere(2)))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("shard 2 moved to node 'n3' (map version 4) but chat-2.db is missing",
                        "copy it from its previous owner");
        assertThat(dir.resolve("chat-2.db")).doesNotExist();
    }

    /** Opens a node's service on the files and closes it again. */
    private void openAndClose(Placement placement) {
        try (SqlitePool pool = pool(); ChatServiceImpl chat = open(pool, placement)) {
            assertThat(chat.closing()).isFalse();
        }
    }

    private static ChatServiceImpl open(SqlitePool pool, Placement placement) {
        return ChatServiceImpl.open(FOUR, pool, placement, CommitSink.NONE);
    }

    private Optional<ShardStamp.Stamp> stamp(int shard) {
        try (SqlitePool pool = pool()) {
            List<ShardStamp.Stamp> rows = pool.database(Shards.databaseName(shard), Schema.MIGRATIONS).query(
                    "SELECT node, map_version FROM shard_stamp", rs -> new ShardStamp.Stamp(rs.getString(1), rs.getLong(2)));
            assertThat(rows).hasSizeLessThanOrEqualTo(1);
            return rows.stream().findFirst();
        }
    }

    private long epochRows(int shard) {
        try (SqlitePool pool = pool()) {
            return pool.database(Shards.databaseName(shard), Schema.MIGRATIONS)
                    .queryOne("SELECT count(*) FROM shard_epochs", rs -> rs.getLong(1)).orElseThrow();
        }
    }

    private SqlitePool pool() {
        return SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
    }
}
