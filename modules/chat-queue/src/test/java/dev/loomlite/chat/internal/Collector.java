package dev.loomlite.chat.internal;

import dev.loomlite.chat.ChatListener;
import dev.loomlite.chat.ChatMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that records what it receives and lets a test wait for a seq or for the end. */
class Collector implements ChatListener {
    // Appended by the delivery thread; read by the test.
    final List<ChatMessage> received = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final long untilSeq;
    final CountDownLatch reached = new CountDownLatch(1);
    // Written once by the delivery thread in onClosed; read by the test after closed.await.
    volatile String reason;
    // Counts onClosed calls; must end at 1.
    final AtomicInteger closings = new AtomicInteger();

    Collector(long untilSeq) {
        this.untilSeq = untilSeq;
    }

    @Override
    public void onMessage(ChatMessage message) {
        received.add(message);
        if (message.seq() >= untilSeq) {
            reached.countDown();
        }
    }

    @Override
    public void onClosed(String reason) {
        this.reason = reason;
        closings.incrementAndGet();
        closed.countDown();
    }

    boolean awaitSeq() throws InterruptedException {
        return reached.await(ChatFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    boolean awaitClosed() throws InterruptedException {
        return closed.await(ChatFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    List<Long> seqs() {
        return received.stream().map(ChatMessage::seq).toList();
    }
}
