package dev.loomlite.chat.internal;

import static dev.loomlite.chat.internal.ChatFixture.request;
import static dev.loomlite.chat.internal.PlacementTest.roomIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.Subscription;
import dev.loomlite.chat.spi.CommittedBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node serves subscribers of rooms owned elsewhere through one follower per room, over a lossy feed. */
@Timeout(60)
class FollowTest {
    static final String ROOM = roomIn(0);

    @TempDir
    Path dir;

    @Test
    void every_message_reaches_a_remote_subscriber_once_and_in_order_although_every_third_publish_is_lost()
            throws InterruptedException {
        try (FakeOwner nodes = new FakeOwner(dir, 3, FollowedRoom.LINGER)) {
            Collector collector = new Collector(61);
            Subscription subscription = nodes.follower.subscribe(ROOM, 0, collector);
            for (int i = 1; i <= 61; i++) {
                nodes.owner.send(request(ROOM, "u1", "c" + i, "message " + i));
            }

            assertThat(collector.awaitSeq()).isTrue();
            subscription.close();
            assertThat(collector.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 61).boxed().toList());
            assertThat(nodes.follower.followers().gaps()).isPositive();
            assertThat(nodes.follower.followers().repairs()).isPositive();
        }
    }

    @Test
    void a_lost_last_message_arrives_after_a_probe() throws InterruptedException {
        try (FakeOwner nodes = new FakeOwner(dir, 2, FollowedRoom.LINGER)) {
            Collector first = new Collector(1);
            Collector second = new Collector(2);
            nodes.follower.subscribe(ROOM, 0, first);
            nodes.follower.subscribe(ROOM, 0, second);
            nodes.owner.send(request(ROOM, "u1", "c1", "published"));
            assertThat(first.awaitSeq()).isTrue();
            nodes.owner.send(request(ROOM, "u1", "c2", "lost by the feed"));

            nodes.probe();

            assertThat(second.awaitSeq()).isTrue();
            assertThat(second.seqs()).containsExactly(1L, 2L);
        }
    }

    @Test
    void subscribers_of_one_room_share_one_feed_subscription() {
        try (FakeOwner nodes = new FakeOwner(dir, Integer.MAX_VALUE, FollowedRoom.LINGER)) {
            nodes.follower.subscribe(ROOM, 0, new Collector(1));
            nodes.follower.subscribe(ROOM, 0, new Collector(1));

            assertThat(nodes.follows).hasValue(1);
            assertThat(nodes.follower.followers().followedRooms()).isEqualTo(1);
        }
    }

    @Test
    void a_higher_epoch_closes_the_rooms_subscribers_with_a_reason() throws InterruptedException {
        try (FakeOwner nodes = new FakeOwner(dir, Integer.MAX_VALUE, FollowedRoom.LINGER)) {
            Collector collector = new Collector(Long.MAX_VALUE);
            nodes.follower.subscribe(ROOM, 0, collector);
            ChatMessage replaced = new ChatMessage(64, ROOM, 1, "c1", "u1", "name-u1", "from epoch 2", OptionalLong.empty(),
                    Instant.now(), 2);

            nodes.listeners.get(ROOM).published(new CommittedBatch(0, ROOM, List.of(replaced)));

            assertThat(collector.awaitClosed()).isTrue();
            assertThat(collector.reason).contains("history changed (epoch 2)", "reconnect");
            assertThat(nodes.follower.followers().epochResets()).isEqualTo(1);
        }
    }

    @Test
    void an_unavailable_owner_refuses_the_subscription_and_leaves_nothing_followed() {
        try (FakeOwner nodes = new FakeOwner(dir, Integer.MAX_VALUE, FollowedRoom.LINGER)) {
            nodes.down = true;

            assertThatThrownBy(() -> nodes.follower.subscribe(ROOM, 0, new Collector(1)))
                    .isInstanceOf(OwnerUnavailableException.class);
            assertThat(nodes.follower.followers().followedRooms()).isZero();
            assertThat(nodes.follower.metrics().subscribers()).isZero();
            assertThat(nodes.listeners).isEmpty();
        }
    }

    @Test
    void a_room_without_subscribers_is_unfollowed_after_the_linger() {
        try (FakeOwner nodes = new FakeOwner(dir, Integer.MAX_VALUE, Duration.ofMillis(50))) {
            nodes.follower.subscribe(ROOM, 0, new Collector(1)).close();

            ChatFixture.eventually(() -> nodes.unfollows.get() == 1);
            assertThat(nodes.follower.followers().followedRooms()).isZero();
            assertThat(nodes.listeners).isEmpty();
        }
    }

    @Test
    void history_and_the_room_list_of_a_remote_room_come_from_its_owner() {
        try (FakeOwner nodes = new FakeOwner(dir, Integer.MAX_VALUE, FollowedRoom.LINGER)) {
            nodes.owner.send(request(ROOM, "u1", "c1", "stored at the owner"));
            nodes.follower.send(request(roomIn(1), "u1", "c2", "stored here"));

            assertThat(nodes.follower.history(ROOM, HistoryQuery.latest(10)).messages())
                    .extracting(ChatMessage::content).containsExactly("stored at the owner");
            assertThat(nodes.follower.rooms()).extracting(RoomInfo::roomId).containsExactlyInAnyOrder(ROOM, roomIn(1));
        }
    }

    @Test
    void a_cursor_past_the_owners_end_is_refused_on_the_following_node() {
        try (FakeOwner nodes = new FakeOwner(dir, Integer.MAX_VALUE, FollowedRoom.LINGER)) {
            nodes.owner.send(request(ROOM, "u1", "c1", "one"));

            assertThatThrownBy(() -> nodes.follower.subscribe(ROOM, 1, 5, new Collector(1)))
                    .isInstanceOf(dev.loomlite.chat.CursorAheadException.class);
            assertThat(nodes.follower.followers().followedRooms()).isZero();
        }
    }
}
