package dev.loomlite.bench;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatListener;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.Subscription;
import dev.loomlite.sqlite.Database;
import dev.loomlite.sqlite.Migration;
import dev.loomlite.sqlite.SqlitePool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load run: messages accepted per second through {@link ChatService#send} from 1000 virtual-thread senders
 * over 10 rooms, with the end-to-end latency from the start of {@code send} to a subscriber's delivery; and,
 * in the same run on the same machine, the pool's grouped single-row insert rate from 1000 callers, both of
 * the benchmark's small rows and of rows shaped like chat messages (same columns and unique indexes).
 *
 * <pre>{@code
 * java --enable-preview --enable-native-access=ALL-UNNAMED -cp modules/bench/target/benchmarks.jar dev.loomlite.bench.ChatLoad
 * }</pre>
 */
public final class ChatLoad {
    static final int SENDERS = 1000;
    static final int ROOMS = 10;
    static final int MESSAGES = 50_000;

    private ChatLoad() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = Fixture.create();
        // One writer per chat shard, as the server runs it: shards commit in parallel on their own writers.
        ChatConfig chatConfig = chatConfig();
        try (SqlitePool pool = SqlitePool.open(Fixture.config(dir).writers(chatConfig.shards()).build())) {
            for (int round = 0; round < rounds; round++) {
                double inserts = poolInsertRate(pool.database(Fixture.NAME));
                double messageRows = messageRowRate(pool.database("message-rows", MESSAGE_ROWS), round);
                Result chat = chatRate(pool, chatConfig, round);
                System.out.printf("round %d: pool grouped inserts %.0f rows/s | pool grouped message-row inserts %.0f rows/s"
                                + " | chat send %.0f msgs/s (%.2fx inserts, %.2fx message rows) | e2e %s%n",
                        round, inserts, messageRows, chat.perSecond, chat.perSecond / inserts, chat.perSecond / messageRows,
                        chat.latency.format());
                if (Boolean.getBoolean("loomlite.bench.lanes")) {
                    pool.metrics().lanes().forEach(l -> System.out.printf("  %s/%s wait p50=%dus p99=%dus exec p50=%dus p99=%dus n=%d%n",
                            l.database(), l.kind(), l.waitMicros().p50(), l.waitMicros().p99(), l.execMicros().p50(),
                            l.execMicros().p99(), l.completed()));
                    System.out.println("  commit batch sizes: " + pool.metrics().batches());
                }
            }
        } finally {
            Fixture.delete(dir);
        }
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
            "CREATE UNIQUE INDEX messages_author_client ON messages(author_id, client_id)"));

    /** Single-row inserts of message rows from {@link #SENDERS} callers over {@link #ROOMS} rooms, through the pool. */
    static double messageRowRate(Database db, int round) throws InterruptedException {
        AtomicLong[] seqs = new AtomicLong[ROOMS];
        for (int r = 0; r < ROOMS; r++) {
            seqs[r] = new AtomicLong(round * (long) MESSAGES);
        }
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        Callers.run(SENDERS, MESSAGES, ignored -> {
            int n = next.getAndIncrement();
            int room = n % ROOMS;
            return db.update("INSERT INTO messages(room, seq, author_id, author, client_id, content, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)", roomId(room), seqs[room].incrementAndGet(),
                    "author-" + (n % SENDERS), "Author", "r" + round + "-m" + n, "message " + n, System.currentTimeMillis());
        });
        return MESSAGES / ((System.nanoTime() - start) / 1e9);
    }

    static double poolInsertRate(Database db) throws InterruptedException {
        long start = System.nanoTime();
        Callers.run(SENDERS, MESSAGES, id -> db.update(Fixture.INSERT, id, "payload"));
        return MESSAGES / ((System.nanoTime() - start) / 1e9);
    }

    record Result(double perSecond, Latencies.Summary latency) {
    }

    static ChatConfig chatConfig() {
        int shards = Integer.getInteger("loomlite.bench.shards", ChatConfig.defaults().shards());
        return ChatConfig.defaults().withShards(shards).withMaxRoomQueue(MESSAGES).withMaxGlobalQueue(MESSAGES)
                .withSubscriberBuffer(MESSAGES);
    }

    static Result chatRate(SqlitePool pool, ChatConfig config, int round) throws Exception {
        try (ChatService chat = ChatService.open(config, pool)) {
            ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>(MESSAGES * 2);
            Latencies latencies = new Latencies();
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
                String clientId = "r" + round + "-m" + n;
                sentAt.put(clientId, System.nanoTime());
                return chat.send(SendRequest.of(roomId(n % ROOMS), "author-" + (n % SENDERS), "Author", clientId, "message " + n))
                        .message().seq();
            });
            double perSecond = MESSAGES / ((System.nanoTime() - start) / 1e9);
            if (!delivered.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(delivered.getCount() + " messages never reached a subscriber");
            }
            subscriptions.forEach(Subscription::close);
            return new Result(perSecond, latencies.summary());
        }
    }

    static String roomId(int room) {
        return "room-" + room;
    }
}
