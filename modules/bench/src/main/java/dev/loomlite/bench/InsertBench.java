package dev.loomlite.bench;

import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-row INSERTs, in committed rows per second.
 *
 * <ul>
 *   <li>{@code rawAutocommit}: one thread, one commit per row.</li>
 *   <li>{@code rawBatched}: one thread, 1000 rows per transaction: the limit for durable-on-return rows.</li>
 *   <li>{@code pool}: {@code callers} virtual threads each inserting one row per call, every call returning
 *       after its commit; the writer group-commits what is queued.</li>
 *   <li>{@code naive}: virtual threads inserting through a fair pool of 4 JDBC connections (autocommit,
 *       fighting over SQLite's single write lock with busy_timeout).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-preview", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class InsertBench {
    static final int OPS = 5_000;

    @Param({"1", "16", "1000"})
    int callers;

    Path dir;
    SqlitePool pool;
    NaivePool naive;
    Connection raw;
    PreparedStatement rawInsert;

    @Setup
    public void setUp() throws Exception {
        dir = Fixture.create();
        pool = SqlitePool.open(Fixture.config(dir).build());
        naive = new NaivePool(dir, 4, false);
        raw = Fixture.connect(dir, false);
        rawInsert = raw.prepareStatement(Fixture.INSERT);
    }

    @TearDown
    public void tearDown() throws Exception {
        rawInsert.close();
        raw.close();
        naive.close();
        pool.close();
        Fixture.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long rawAutocommit() throws Exception {
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            rawInsert.setLong(1, i);
            rawInsert.setString(2, "payload");
            sum += rawInsert.executeUpdate();
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long rawBatched() throws Exception {
        long sum = 0;
        raw.setAutoCommit(false);
        try {
            for (int i = 0; i < OPS; i++) {
                rawInsert.setLong(1, i);
                rawInsert.setString(2, "payload");
                sum += rawInsert.executeUpdate();
                if ((i + 1) % 1000 == 0) {
                    raw.commit();
                }
            }
            raw.commit();
        } finally {
            raw.setAutoCommit(true);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long pool() throws Exception {
        Database db = pool.database(Fixture.NAME);
        return Callers.run(callers, OPS, id -> db.update(Fixture.INSERT, id, "payload"));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long naive() throws Exception {
        return Callers.run(callers, OPS, id -> naive.with(c -> {
            try (PreparedStatement statement = c.prepareStatement(Fixture.INSERT)) {
                statement.setLong(1, id);
                statement.setString(2, "payload");
                return statement.executeUpdate();
            }
        }));
    }
}
