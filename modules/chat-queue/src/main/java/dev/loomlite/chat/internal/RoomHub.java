package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One room's live subscribers and the fan-out of its new messages to them: what a room needs to serve subscribers,
 * apart from its send queue and its store (a room followed from another node will have a hub and no queue).
 *
 * <p>Membership: {@link Room} adds subscribers under its lock (so that a retired room never gains one); ending
 * subscriptions remove themselves from any thread. {@link #publish} runs on the room step's fork and reads a snapshot,
 * as does shutdown.
 */
final class RoomHub {
    /** Subscribers served by one fan-out fork. */
    private static final int SUBSCRIBERS_PER_FORK = 32;

    private final Duration fanoutTimeout;
    // Written by Room.addSubscriber (under the room's lock) and by ending subscriptions; read by publish and shutdown.
    private final CopyOnWriteArrayList<LiveSubscription> subscribers = new CopyOnWriteArrayList<>();

    RoomHub(Duration fanoutTimeout) {
        this.fanoutTimeout = fanoutTimeout;
    }

    void add(LiveSubscription subscriber) {
        subscribers.add(subscriber);
    }

    /** @return whether the subscriber was registered */
    boolean remove(LiveSubscription subscriber) {
        return subscribers.remove(subscriber);
    }

    boolean isEmpty() {
        return subscribers.isEmpty();
    }

    int size() {
        return subscribers.size();
    }

    void forEach(Consumer<LiveSubscription> action) {
        subscribers.forEach(action);
    }

    /**
     * Offers the messages (ascending, gapless {@code seq}) to every subscriber in parallel forks of one scope; drops
     * those that the fan-out deadline cut off before they were offered the last message.
     */
    void publish(List<ChatMessage> messages) throws InterruptedException {
        if (messages.isEmpty() || subscribers.isEmpty()) {
            return;
        }
        List<LiveSubscription> subs = List.copyOf(subscribers);
        List<Runnable> forks = new ArrayList<>();
        for (int from = 0; from < subs.size(); from += SUBSCRIBERS_PER_FORK) {
            List<LiveSubscription> chunk = subs.subList(from, Math.min(subs.size(), from + SUBSCRIBERS_PER_FORK));
            forks.add(() -> chunk.forEach(s -> s.offer(messages)));
        }
        if (!Scopes.runAll(forks, fanoutTimeout)) {
            long last = messages.getLast().seq();
            for (LiveSubscription s : subs) {
                if (!s.offeredThrough(last)) {
                    s.closeWith("fan-out deadline of " + fanoutTimeout.toMillis() + " ms passed", true);
                }
            }
        }
    }
}
