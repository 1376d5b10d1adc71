package dev.loomlite.bench;

import dev.loomlite.sqlite.Cursor;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.SqlitePool;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load run: point-read latency (16 virtual-thread callers) alone, then while one caller reads all 100k rows
 * through the paged {@link Cursor}, then while it reads them with {@code query} into one list; with the peak
 * live heap of each phase (occupancy right after each GC).
 *
 * <pre>{@code
 * java --enable-preview --enable-native-access=ALL-UNNAMED -Xmx256m -Xmn32m -cp modules/bench/target/benchmarks.jar dev.loomlite.bench.ScanWhileReading
 * }</pre>
 */
public final class ScanWhileReading {
    static final int CALLERS = 16;
    static final int PAGE = 500;

    private ScanWhileReading() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Fixture.create();
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir).build())) {
            Database db = pool.database(Fixture.NAME);
            phase(db, "warm-up", Scan.NONE, 3);
            for (Scan scan : Scan.values()) {
                System.out.println(phase(db, scan.label, scan, 5));
            }
        } finally {
            Fixture.delete(dir);
        }
    }

    enum Scan {
        NONE("point reads alone"),
        CURSOR("point reads during a 100k-row paged read (page " + PAGE + ")"),
        LIST("point reads during a 100k-row read into one list");

        final String label;

        Scan(String label) {
            this.label = label;
        }
    }

    /** Runs {@code rounds} scans (or as long as that takes, for NONE) while callers measure point reads. */
    static String phase(Database db, String label, Scan scan, int rounds) throws Exception {
        System.gc();
        long heapBefore = heapUsed();
        LiveHeap.reset();
        AtomicBoolean stop = new AtomicBoolean();
        Latencies latencies = new Latencies();
        CountDownLatch done = new CountDownLatch(CALLERS);
        for (int c = 0; c < CALLERS; c++) {
            Thread.ofVirtual().name("point-reader-", c).start(() -> {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        db.queryOne(Fixture.POINT_READ, rs -> rs.getString(1), random.nextLong(1, Fixture.ROWS + 1)).orElseThrow();
                        latencies.record(System.nanoTime() - start);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        long rows = 0;
        long started = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            rows += scanOnce(db, scan);
        }
        long elapsed = System.nanoTime() - started;
        stop.set(true);
        done.await();
        long peak = LiveHeap.peak();
        return "%-60s %s | scanned %d rows in %.0f ms | peak live heap after GC %.1f MiB (%.1f MiB at start)".formatted(label,
                latencies.summary().format(), rows, elapsed / 1e6, peak / 1048576.0, heapBefore / 1048576.0);
    }

    /** One scan; NONE only lets the point readers run for a fixed observation window. */
    static long scanOnce(Database db, Scan scan) throws InterruptedException {
        switch (scan) {
            case NONE -> {
                Thread.sleep(400); // the load run's observation window, not a test wait
                return 0;
            }
            case CURSOR -> {
                long n = 0;
                try (Cursor<String> cursor = db.cursor("SELECT id, name, qty FROM item ORDER BY id", rs -> rs.getString(2), PAGE)) {
                    for (List<String> page = cursor.nextPage(); !page.isEmpty(); page = cursor.nextPage()) {
                        n += page.size();
                    }
                }
                return n;
            }
            case LIST -> {
                return db.query("SELECT id, name, qty FROM item ORDER BY id", rs -> rs.getString(2)).size();
            }
            default -> throw new IllegalArgumentException(scan.name());
        }
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
