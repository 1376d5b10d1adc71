package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ClientIdConflictException;
import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.spi.CommitSink;
import dev.loomlite.chat.spi.NotOwnerException;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node opens, writes and serves only the shards its placement gives it. */
class PlacementTest {
    static final ChatConfig FOUR = ChatConfig.defaults().withShards(4);

    @TempDir
    Path dir;

    @Test
    void a_node_creates_only_the_files_of_its_own_shards() {
        try (SqlitePool pool = pool(); ChatServiceImpl chat = ChatServiceImpl.open(FOUR, pool, owning(1, 3), CommitSink.NONE)) {
            chat.send(request(roomIn(1), "u1", "c1", "hello"));
        }
        assertThat(dir.resolve("chat-1.db")).exists();
        assertThat(dir.resolve("chat-3.db")).exists();
        assertThat(dir.resolve("chat-0.db")).doesNotExist();
        assertThat(dir.resolve("chat-2.db")).doesNotExist();
    }

    @Test
    void a_send_history_or_subscription_of_another_nodes_room_is_refused_with_its_owner_and_nothing_is_stored() {
        try (SqlitePool pool = pool(); ChatServiceImpl chat = ChatServiceImpl.open(FOUR, pool, owning(1, 3), CommitSink.NONE)) {
            String elsewhere = roomIn(0);

            assertThatThrownBy(() -> chat.send(request(elsewhere, "u1", "c1", "hello")))
                    .isInstanceOfSatisfying(NotOwnerException.class, e -> {
                        assertThat(e.shard()).isZero();
                        assertThat(e.owner()).isEqualTo("other");
                        assertThat(e.getMessage()).contains(elsewhere, "node 'other'", "nothing was read or stored");
                    });
            assertThatThrownBy(() -> chat.history(elsewhere, HistoryQuery.latest(10))).isInstanceOf(NotOwnerException.class);
            assertThatThrownBy(() -> chat.subscribe(elsewhere, 0, new Collector(1))).isInstanceOf(NotOwnerException.class);
            assertThat(chat.metrics().rejected()).isZero();
            assertThat(chat.rooms()).isEmpty();
        }
    }

    @Test
    void a_client_id_is_screened_across_the_shards_a_node_owns() {
        try (SqlitePool pool = pool(); ChatServiceImpl chat = ChatServiceImpl.open(FOUR, pool, owning(1, 3), CommitSink.NONE)) {
            ChatFixture.eventually(chat::keysLoaded);
            chat.send(request(roomIn(1), "u1", "same-id", "hello"));

            assertThatThrownBy(() -> chat.send(request(roomIn(3), "u1", "same-id", "hello")))
                    .isInstanceOf(ClientIdConflictException.class);
            assertThat(chat.history(roomIn(3), HistoryQuery.latest(10)).messages()).isEmpty();
        }
    }

    @Test
    void a_placement_of_another_shard_count_or_without_a_shard_here_is_refused() {
        try (SqlitePool pool = pool()) {
            assertThatThrownBy(() -> ChatServiceImpl.open(FOUR, pool, Placement.standalone(2), CommitSink.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 shards", "configuration 4");
            assertThatThrownBy(() -> ChatServiceImpl.open(FOUR, pool, owning(), CommitSink.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owns none of the 4 shards");
        }
        assertThat(dir.resolve("chat-0.db")).doesNotExist();
    }

    /** This node ("here", without a map: nothing stamped) owns the given shards of 4; "other" owns the rest. */
    static Placement owning(Integer... shards) {
        return NodePlacement.of("here", 0, 4, shards);
    }

    /** A room id that hashes to {@code shard} of 4. */
    static String roomIn(int shard) {
        return IntStream.range(0, 1000).mapToObj(i -> "room-" + i)
                .filter(room -> Placement.shardOf(room, 4) == shard).findFirst().orElseThrow();
    }

    SqlitePool pool() {
        return SqlitePool.open(PoolConfig.builder(dir).defaultTimeout(Duration.ofSeconds(60)).build());
    }
}
