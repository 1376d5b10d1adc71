package dev.loomlite.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a fixed number of operations spread over N concurrent virtual-thread callers, and waits for all. */
final class Callers {
    /** One operation; {@code key} is random in [1, ROWS]. */
    @FunctionalInterface
    interface Op {
        long run(long key) throws Exception;
    }

    private Callers() {
    }

    static long run(int callers, int operations, Op op) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(callers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] sums = new long[callers];
        int each = operations / callers;
        int extra = operations % callers;
        for (int c = 0; c < callers; c++) {
            int index = c;
            int count = each + (c < extra ? 1 : 0);
            Thread.ofVirtual().name("bench-caller-", c).start(() -> {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long sum = 0;
                    for (int i = 0; i < count; i++) {
                        sum += op.run(random.nextLong(1, Fixture.ROWS + 1));
                    }
                    sums[index] = sum;
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("a benchmark caller failed", failure.get());
        }
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return total;
    }
}
