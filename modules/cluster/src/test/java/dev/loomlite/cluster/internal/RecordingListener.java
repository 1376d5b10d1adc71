package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.fail;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.spi.CommittedBatch;
import dev.loomlite.chat.spi.FeedListener;
import dev.loomlite.chat.spi.RoomPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A follower that keeps every run it is handed, and the name of the thread that handed it. */
final class RecordingListener implements FeedListener {
    private final LinkedBlockingQueue<CommittedBatch> runs = new LinkedBlockingQueue<>();
    private volatile String thread;   // written by the dispatcher thread, read by the test

    @Override
    public void published(CommittedBatch run) {
        thread = Thread.currentThread().getName();
        runs.add(run);
    }

    @Override
    public void position(RoomPosition latest) {
    }

    @Override
    public long epoch() {
        return 1;
    }

    String thread() {
        return thread;
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /** The next runs until they hold {@code messages} messages; fails after {@code bound}. */
    List<CommittedBatch> awaitRuns(int messages, Duration bound) throws InterruptedException {
        List<CommittedBatch> got = new ArrayList<>();
        long deadline = System.nanoTime() + bound.toNanos();
        int count = 0;
        while (count < messages) {
            CommittedBatch run = runs.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (run == null) {
                fail("received " + count + " of " + messages + " messages within " + bound.toMillis() + " ms: " + got);
            }
            got.add(run);
            count += run.messages().size();
        }
        return got;
    }

    static List<ChatMessage> flatten(List<CommittedBatch> runs) {
        return runs.stream().flatMap(r -> r.messages().stream()).toList();
    }
}
