package dev.loomlite.bench;

import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.PoolTimeoutException;
import dev.loomlite.sqlite.SqlitePool;
import dev.loomlite.sqlite.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load run: the writer under overload with short deadlines. 1000 virtual threads call {@code write} in a loop,
 * each work unit inserting 200 rows, with a deadline of 50 ms (system properties {@code loomlite.bench.callers},
 * {@code loomlite.bench.rows}, {@code loomlite.bench.timeoutMs}): far more than one writer can commit, so most calls time out, and many of those that
 * reach the writer do so with little time left. A work unit whose deadline passes mid-statement is
 * interrupted, which rolls back its whole group; what matters is how much of the writer's time still goes into
 * work that commits. Per round (fresh directory and pool; round 0 warms up and is not counted) it reports
 * committed work units per second, timed-out calls per second (queued / refused before running vs interrupted
 * while running), and how many times work units ran per committed one (1.0 means nothing was re-run or
 * wasted). The summary is the median of the measured rounds.
 *
 * <pre>{@code
 * java --enable-preview --enable-native-access=ALL-UNNAMED -cp modules/bench/target/benchmarks.jar dev.loomlite.bench.OverloadLoad 4
 * }</pre>
 */
public final class OverloadLoad {
    static final int CALLERS = Integer.getInteger("loomlite.bench.callers", 1000);
    static final int ROWS_PER_WORK = Integer.getInteger("loomlite.bench.rows", 200);
    static final int TIMEOUT_MS = Integer.getInteger("loomlite.bench.timeoutMs", 50);
    static final Duration ROUND = Duration.ofSeconds(5);

    private OverloadLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        System.out.printf("%d callers, %d rows per work unit, %d ms deadline, %d s per round, %d cores%n",
                CALLERS, ROWS_PER_WORK, TIMEOUT_MS, ROUND.toSeconds(), Runtime.getRuntime().availableProcessors());
        List<Result> measured = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Result r = round(round == 0 ? Duration.ofSeconds(2) : ROUND);
            System.out.printf("round %d%s: %s%n", round, round == 0 ? " (warm-up)" : "", r);
            if (round > 0) {
                measured.add(r);
            }
        }
        if (!measured.isEmpty()) {
            System.out.printf("median of %d rounds: committed %.0f/s, timed out %.0f/s (%.0f/s before running,"
                            + " %.0f/s while running), runs per commit %.2f%n", measured.size(),
                    median(measured, Result::committedPerSecond), median(measured, Result::timeoutsPerSecond),
                    median(measured, Result::unstartedPerSecond), median(measured, Result::interruptedPerSecond),
                    median(measured, Result::runsPerCommit));
        }
    }

    record Result(double seconds, long committed, long unstarted, long interrupted, long otherFailures, long runs,
                  long rows) {
        double committedPerSecond() {
            return committed / seconds;
        }

        double timeoutsPerSecond() {
            return (unstarted + interrupted) / seconds;
        }

        double unstartedPerSecond() {
            return unstarted / seconds;
        }

        double interruptedPerSecond() {
            return interrupted / seconds;
        }

        double runsPerCommit() {
            return committed == 0 ? Double.NaN : (double) runs / committed;
        }

        @Override
        public String toString() {
            return String.format("committed %.0f/s, timed out %.0f/s (%.0f/s before running, %.0f/s while running),"
                            + " other failures %d, work runs %d = %.2f per commit, rows %d (expected %d)",
                    committedPerSecond(), timeoutsPerSecond(), unstartedPerSecond(), interruptedPerSecond(),
                    otherFailures, runs, runsPerCommit(), rows, committed * ROWS_PER_WORK);
        }
    }

    static Result round(Duration length) throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("loomlite-overload");
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir).build())) {
            Database db = pool.database(Fixture.NAME).withTimeout(Duration.ofMillis(TIMEOUT_MS));
            LongAdder runs = new LongAdder();
            LongAdder committed = new LongAdder();
            LongAdder unstarted = new LongAdder();
            LongAdder interrupted = new LongAdder();
            LongAdder other = new LongAdder();
            AtomicBoolean stop = new AtomicBoolean();
            Work<Integer> work = s -> {
                runs.increment();
                int n = 0;
                for (int i = 0; i < ROWS_PER_WORK; i++) {
                    n += s.update(Fixture.INSERT, i, "payload-payload-payload");
                }
                return n;
            };
            List<Thread> callers = new ArrayList<>(CALLERS);
            long start = System.nanoTime();
            for (int c = 0; c < CALLERS; c++) {
                callers.add(Thread.ofVirtual().name("caller-" + c).start(() -> {
                    while (!stop.get()) {
                        try {
                            db.write(work);
                            committed.increment();
                        } catch (PoolTimeoutException e) {
                            (e.started() ? interrupted : unstarted).increment();
                        } catch (PoolException e) {
                            other.increment();
                        }
                    }
                }));
            }
            Thread.sleep(length.toMillis());
            stop.set(true);
            for (Thread t : callers) {
                t.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows = pool.database(Fixture.NAME).queryOne("SELECT count(*) FROM event", rs -> rs.getLong(1))
                    .orElse(0L);
            return new Result(seconds, committed.sum(), unstarted.sum(), interrupted.sum(), other.sum(), runs.sum(),
                    rows);
        } finally {
            Fixture.delete(dir);
        }
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> f) {
        double[] values = results.stream().mapToDouble(f).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
