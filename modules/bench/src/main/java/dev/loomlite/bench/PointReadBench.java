package dev.loomlite.bench;

import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.ThreadLocalRandom;
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
 * Point SELECT by primary key on a 100k-row table, in reads per second.
 *
 * <ul>
 *   <li>{@code raw}: one platform thread, one connection, one reused statement: the limit.</li>
 *   <li>{@code pool}: the pool (default readers) with {@code callers} virtual-thread callers.</li>
 *   <li>{@code poolSingleWorker}: the pool with one reader thread: the bare hand-off.</li>
 *   <li>{@code direct}: the pool's direct mode (caller's thread, fair lock per connection).</li>
 *   <li>{@code naive}: virtual threads calling JDBC directly on a fair pool of 4 connections.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-preview", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PointReadBench {
    static final int OPS = 20_000;

    @Param({"1", "16", "1000"})
    int callers;

    Path dir;
    SqlitePool pool;
    SqlitePool singleWorker;
    SqlitePool direct;
    NaivePool naive;
    Connection raw;
    PreparedStatement rawStatement;

    @Setup
    public void setUp() throws Exception {
        dir = Fixture.create();
        pool = SqlitePool.open(Fixture.config(dir).build());
        singleWorker = SqlitePool.open(Fixture.config(dir).readers(1).build());
        direct = SqlitePool.open(Fixture.config(dir).useWorkers(false).build());
        naive = new NaivePool(dir, 4, true);
        raw = Fixture.connect(dir, true);
        rawStatement = raw.prepareStatement(Fixture.POINT_READ);
    }

    @TearDown
    public void tearDown() throws Exception {
        rawStatement.close();
        raw.close();
        naive.close();
        direct.close();
        singleWorker.close();
        pool.close();
        Fixture.delete(dir);
    }

    private static long read(Database db, long id) {
        return db.queryOne(Fixture.POINT_READ, rs -> rs.getString(1).length(), id).orElseThrow();
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long raw() throws Exception {
        // The limit does not depend on callers; JMH still runs it once per parameter value.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            sum += Fixture.pointRead(rawStatement, random.nextLong(1, Fixture.ROWS + 1));
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long pool() throws Exception {
        Database db = pool.database(Fixture.NAME);
        return Callers.run(callers, OPS, id -> read(db, id));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long poolSingleWorker() throws Exception {
        Database db = singleWorker.database(Fixture.NAME);
        return Callers.run(callers, OPS, id -> read(db, id));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long direct() throws Exception {
        Database db = direct.database(Fixture.NAME);
        return Callers.run(callers, OPS, id -> read(db, id));
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long naive() throws Exception {
        return Callers.run(callers, OPS, id -> naive.with(c -> {
            try (PreparedStatement statement = c.prepareStatement(Fixture.POINT_READ)) {
                return Fixture.pointRead(statement, id);
            }
        }));
    }
}
