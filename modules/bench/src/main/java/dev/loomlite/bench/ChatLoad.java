package dev.loomlite.bench;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatListener;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.Subscription;
import dev.loomlite.chat.client.ClientIds;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.SqlitePool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load run: messages accepted per second through {@link ChatService#send} from 1000 virtual-thread senders
 * over 10 rooms, with the end-to-end latency from the start of {@code send} to a subscriber's delivery; and,
 * in the same round on the same machine, the pool's grouped single-row insert rate from 1000 callers, both of
 * the benchmark's small rows and of rows shaped like chat messages (same columns and unique indexes). Every
 * round uses a fresh directory and pool, so each phase writes into empty tables and rounds compare; round 0
 * warms the JIT and the summary is the median of the others. Per phase it also reports the CPU time per
 * message of the whole process and of the pool's writer threads, and the rows per commit, which say where
 * the time goes.
 *
 * <pre>{@code
 * java --enable-preview --enable-native-access=ALL-UNNAMED -cp modules/bench/target/benchmarks.jar dev.loomlite.bench.ChatLoad 6
 * }</pre>
 */
public final class ChatLoad {
    static final int SENDERS = 1000;
    static final int ROOMS = 10;
    static final int MESSAGES = 50_000;

    private ChatLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        // One writer per chat shard, as the server runs it: shards commit in parallel on their own writers.
        ChatConfig chatConfig = chatConfig();
        System.out.printf("%d senders, %d rooms, %d messages per phase, %d chat shards, %s client ids, synchronous=%s, %d cores%n",
                SENDERS, ROOMS, MESSAGES, chatConfig.shards(), RANDOM_IDS ? "random" : "time-ordered",
                Fixture.SYNCHRONOUS, Runtime.getRuntime().availableProcessors());
        List<double[]> ratios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory("loomlite-chatload");
            try (SqlitePool pool = SqlitePool.open(Fixture.config(dir).writers(chatConfig.shards()).build())) {
                Phase small = Phase.measure(pool, () -> poolInsertRate(pool.database(Fixture.NAME)));
                Phase rows = Phase.measure(pool, () -> messageRowRate(pool.database("message-rows", MESSAGE_ROWS)));
                Latencies latencies = new Latencies();
                Phase chat = Phase.measure(pool, () -> chatRate(pool, chatConfig, latencies));
                System.out.printf("round %d: pool small rows %s | pool message rows %s | chat send %s"
                                + " | chat/small %.2fx, chat/message rows %.2fx | e2e %s%n", round, small, rows, chat,
                        chat.perSecond / small.perSecond, chat.perSecond / rows.perSecond,
                        latencies.summary().format());
                if (round > 0) {
                    ratios.add(new double[] {small.perSecond, rows.perSecond, chat.perSecond,
                            chat.perSecond / small.perSecond, chat.perSecond / rows.perSecond});
                }
                if (Boolean.getBoolean("loomlite.bench.lanes")) {
                    pool.metrics().lanes().forEach(l -> System.out.printf("  %s/%s wait p50=%dus p99=%dus exec p50=%dus p99=%dus n=%d%n",
                            l.database(), l.kind(), l.waitMicros().p50(), l.waitMicros().p99(), l.execMicros().p50(),
                            l.execMicros().p99(), l.completed()));
                    System.out.println("  commit batch sizes: " + pool.metrics().batches());
                }
            } finally {
                Fixture.delete(dir);
            }
        }
        if (!ratios.isEmpty()) {
            System.out.printf("median of rounds 1..%d: small rows %.0f/s, message rows %.0f/s, chat %.0f/s,"
                    + " chat/small %.2fx, chat/message rows %.2fx%n", rounds - 1, median(ratios, 0), median(ratios, 1),
                    median(ratios, 2), median(ratios, 3), median(ratios, 4));
        }
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** One measured phase: its rate, CPU per message (process; the pool's writer threads) and rows per commit. */
    record Phase(double perSecond, double cpuMicros, double writerCpuMicros, double rowsPerCommit) {
        interface Run {
            double perSecond() throws Exception;
        }

        static Phase measure(SqlitePool pool, Run run) throws Exception {
            long commits = pool.metrics().batches().count();
            long cpu = OS.getProcessCpuTime();
            long writers = writerCpuNanos();
            double perSecond = run.perSecond();
            return new Phase(perSecond, (OS.getProcessCpuTime() - cpu) / 1e3 / MESSAGES,
                    (writerCpuNanos() - writers) / 1e3 / MESSAGES,
                    (double) MESSAGES / Math.max(1, pool.metrics().batches().count() - commits));
        }

        @Override
        public String toString() {
            return "%.0f/s (cpu %.1f us/msg, writers %.1f, %.0f rows/commit)".formatted(perSecond, cpuMicros,
                    writerCpuMicros, rowsPerCommit);
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** CPU time of the pool's writer threads (platform threads named {@code sqlite-writer-*}). */
    static long writerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("sqlite-writer")) {
                total += Math.max(0, threads.getThreadCpuTime(t.threadId()));
            }
        }
        return total;
    }

    /**
     * A table of the same shape as chat-queue's message table (its schema is internal): the storage cost of a
     * message row with its two unique indexes, without the pipeline.
     */
    static final List<Migration> MESSAGE_ROWS = List.of(Migration.sql(1, "message rows", """
            CREATE TABLE messages (id INTEGER PRIMARY KEY, room TEXT NOT NULL, seq INTEGER NOT NULL,
                author_id TEXT NOT NULL, author TEXT NOT NULL, client_id TEXT NOT NULL, content TEXT NOT NULL,
                reply_to INTEGER, created_at INTEGER NOT NULL)""",
            "CREATE UNIQUE INDEX messages_room_seq ON messages(room, seq)",
            "CREATE UNIQUE INDEX messages_client_author ON messages(client_id, author_id)"));

    /**
     * A client id as clients make them: time-ordered like the page's and the outbox's (the default), or 128
     * random bits ({@code -Dloomlite.bench.clientIds=random}), to see what ids without order cost.
     */
    static String clientId() {
        if (RANDOM_IDS) {
            byte[] bytes = new byte[16];
            ThreadLocalRandom.current().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
        return ClientIds.timeOrdered(ThreadLocalRandom.current()).get();
    }

    private static final boolean RANDOM_IDS = "random".equals(System.getProperty("loomlite.bench.clientIds"));

    /** Single-row inserts of message rows from {@link #SENDERS} callers over {@link #ROOMS} rooms, through the pool. */
    static double messageRowRate(Database db) throws InterruptedException {
        AtomicLong[] seqs = new AtomicLong[ROOMS];
        for (int r = 0; r < ROOMS; r++) {
            seqs[r] = new AtomicLong();
        }
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        Callers.run(SENDERS, MESSAGES, ignored -> {
            int n = next.getAndIncrement();
            int room = n % ROOMS;
            return db.update("INSERT INTO messages(room, seq, author_id, author, client_id, content, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)", roomId(room), seqs[room].incrementAndGet(),
                    "author-" + (n % SENDERS), "Author", clientId(), "message " + n, System.currentTimeMillis());
        });
        return MESSAGES / ((System.nanoTime() - start) / 1e9);
    }

    static double poolInsertRate(Database db) throws InterruptedException {
        long start = System.nanoTime();
        Callers.run(SENDERS, MESSAGES, id -> db.update(Fixture.INSERT, id, "payload"));
        return MESSAGES / ((System.nanoTime() - start) / 1e9);
    }

    static ChatConfig chatConfig() {
        int shards = Integer.getInteger("loomlite.bench.shards", ChatConfig.defaults().shards());
        return ChatConfig.defaults().withShards(shards).withMaxRoomQueue(MESSAGES).withMaxGlobalQueue(MESSAGES)
                .withSubscriberBuffer(MESSAGES);
    }

    static double chatRate(SqlitePool pool, ChatConfig config, Latencies latencies) throws Exception {
        try (ChatService chat = ChatService.open(config, pool)) {
            ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>(MESSAGES * 2);
            CountDownLatch delivered = new CountDownLatch(MESSAGES);
            List<Subscription> subscriptions = new ArrayList<>();
            for (int r = 0; r < ROOMS; r++) {
                int room = r;
                long after = chat.rooms().stream().filter(i -> i.roomId().equals(roomId(room))).mapToLong(i -> i.lastSeq()).findFirst().orElse(0);
                subscriptions.add(chat.subscribe(roomId(room), after, ChatListener.of((ChatMessage m) -> {
                    Long start = sentAt.get(m.clientId());
                    if (start != null) {
                        latencies.record(System.nanoTime() - start);
                        delivered.countDown();
                    }
                })));
            }
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            Callers.run(SENDERS, MESSAGES, ignored -> {
                int n = next.getAndIncrement();
                String clientId = clientId();
                sentAt.put(clientId, System.nanoTime());
                return chat.send(SendRequest.of(roomId(n % ROOMS), "author-" + (n % SENDERS), "Author", clientId, "message " + n))
                        .message().seq();
            });
            double perSecond = MESSAGES / ((System.nanoTime() - start) / 1e9);
            if (!delivered.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(delivered.getCount() + " messages never reached a subscriber");
            }
            subscriptions.forEach(Subscription::close);
            return perSecond;
        }
    }

    static String roomId(int room) {
        return "room-" + room;
    }
}
