package dev.loomlite.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import dev.loomlite.chat.client.HttpTransport;
import dev.loomlite.chat.client.Transport;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The end-to-end load tool: drives a running Loomlite server over its public API only, as many browser users
 * would, and says how fast, how efficiently and how correctly it served them.
 *
 * <ol>
 *   <li>signs in one user per sender ({@code POST /api/session}, distinct names);</li>
 *   <li>reads each room's last seq, and opens the WebSocket subscribers with {@code after=} it (Jetty's client,
 *       offering permessage-deflate unless {@code --compression off}; subscribers reuse the senders' sessions);</li>
 *   <li>for warm-up plus duration seconds, each sender sends to its room through its own {@code Outbox} of the JVM
 *       client, one message at a time (closed loop), paced when {@code --rate} is set;</li>
 *   <li>waits for the last outcomes and for every subscriber to reach its room's last seq, reads the histories
 *       and gives the verdict ({@link Verifier});</li>
 *   <li>prints the summary and writes {@code summary.json} and {@code report.html} ({@link Report}).</li>
 * </ol>
 *
 * <p>Against a cluster ({@code --url A,B,C}) the senders and each room's subscribers are spread over the nodes
 * ({@link Nodes}); everything else goes through the first URL. With {@code --shards} the deliveries are also counted
 * by whether the subscriber's node owns the room.
 *
 * <pre>{@code
 * modules/bench/e2e-load.sh --url http://127.0.0.1:7171 --duration 20 --server-pid 12345
 * }</pre>
 */
public final class E2eLoad {
    private static final Duration DRAIN = Duration.ofSeconds(20);
    private static final String WORDS = "the a chat room message loom lite server hello world fast queue order "
            + "seq reply send ack deliver socket thread virtual sqlite page user time now ok yes no maybe later soon";

    private E2eLoad() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2);
            return;
        }
        Summary summary;
        try {
            summary = run(options, System.out);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("load run failed: " + e.getMessage()); // the server is not there, or refused the setup
            System.exit(3);
            return;
        } catch (Exception e) {
            System.err.println("load run failed: " + e);
            e.printStackTrace();
            System.exit(3);
            return;
        }
        System.out.println(Report.text(summary));
        Report.write(summary, options.out());
        System.out.println("wrote " + options.out().resolve("summary.json") + " and " + options.out().resolve("report.html"));
        System.exit(summary.verdict().ok() ? 0 : 1);
    }

    /** Runs the load described by {@code options}, printing progress to {@code log}; writes no file. */
    static Summary run(LoadOptions o, PrintStream log) throws Exception {
        String startedAt = Instant.now().toString();
        int token = new SecureRandom().nextInt(1 << 16);
        LoadIds ids = new LoadIds(token, System.nanoTime());
        int seconds = o.warmupSeconds() + o.durationSeconds();
        Timeline timeline = new Timeline(seconds + (int) DRAIN.toSeconds() + 5);
        URI base = o.url();
        Nodes nodes = o.nodes();
        for (long pid : o.serverPids()) {
            if (!ProcStats.alive(pid)) {
                throw new IllegalArgumentException("--server-pid " + pid + ": no such process here");
            }
        }
        try (HttpClient http = Api.client()) {
            Api api = new Api(http, base); // sign-in, last seqs, the verifier: the first node (cookies and history are cluster-wide)
            String runName = "load-" + HexFormat.of().toHexDigits((short) token);
            log.printf("run %s: %d senders (%s over %s), %d rooms, %d subscribers per room, %d-character messages, rate %s, compression %s, against %s%n",
                    runName, o.senders(), o.rawTransport() ? "RAW sends, no outbox" : "outbox",
                    o.socketHttp() ? "the tool's socket client" : "HttpTransport", o.rooms(), o.subscribersPerRoom(),
                    o.messageSize(), o.rate() == 0 ? "closed loop" : o.rate() + "/s", o.compression() ? "offered" : "off",
                    o.urls().size() == 1 ? base : o.urls().size() + " nodes " + o.urls() + ", sending " + Report.sendVia(o));
            List<String> cookies = signIn(api, o, runName, log);
            Map<String, Long> lastSeqs = api.lastSeqs(cookies.getFirst());
            List<RoomLedger> ledgers = new ArrayList<>();
            for (int r = 0; r < o.rooms(); r++) {
                ledgers.add(new RoomLedger(o.room(r), lastSeqs.getOrDefault(o.room(r), 0L)));
            }
            WebSocketClient ws = webSocketClient();
            ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("load-outbox-timer").daemon().factory());
            try {
                long rssBefore = serverRss(o);
                Map<String, List<Subscriber>> subscribers = subscribe(ws, http, o, ledgers, cookies, timeline, ids, log);
                long rssAfter = serverRss(o);
                List<Sender> senders = new ArrayList<>();
                long interval = o.rate() == 0 || o.senders() == 0 ? 0 : Math.round(o.senders() * 1e9 / o.rate());
                for (int i = 0; i < o.senders(); i++) {
                    RoomLedger ledger = ledgers.get(i % o.rooms());
                    String cookie = cookies.get(i);
                    URI via = o.urls().get(nodes.senderNode(i, ledger.roomId));
                    Transport transport = o.socketHttp() ? new SocketTransport(via, cookie)
                            : HttpTransport.create(http, via, () -> cookie, HttpTransport.DEFAULT_TIMEOUT);
                    senders.add(new Sender(i, ledger.roomId, transport, o.rawTransport(), o.retryFailed(), timers, ids, timeline, ledger,
                            contents(i, o.messageSize()), interval));
                }
                long origin = System.nanoTime() + 50_000_000L;
                timeline.begin(origin);
                Progress progress = new Progress(timeline, o.serverPids(), log, o.warmupSeconds(), o.durationSeconds(), o.phaseMark());
                long stopAt = origin + seconds * 1_000_000_000L;
                int sampled;
                try {
                    while (System.nanoTime() < origin) {
                        Thread.onSpinWait();
                    }
                    progress.start();
                    send(senders, origin, stopAt, interval);
                    awaitSubscribers(api, cookies.getFirst(), subscribers, stopAt + DRAIN.toNanos());
                } finally {
                    sampled = progress.stop();
                }
                subscribers.values().forEach(list -> list.forEach(s -> s.close(Duration.ofSeconds(2))));
                Verifier.Verdict verdict = Verifier.verify(api, cookies.getFirst(), ledgers, subscribers, senders);
                long subscribed = subscribers.values().stream().mapToLong(List::size).sum();
                OptionalDouble perSubscriber = rssBefore < 0 || rssAfter < 0 || subscribed == 0 ? OptionalDouble.empty()
                        : OptionalDouble.of((rssAfter - rssBefore) / 1024.0 / subscribed);
                return Summary.of(o, startedAt, timeline, progress, sampled, senders, subscribers, perSubscriber, verdict);
            } finally {
                timers.shutdownNow();
                ws.stop();
            }
        }
    }

    /** Runs every sender on its own virtual thread (staggered over one interval) until {@code stopAt}, and joins them. */
    private static void send(List<Sender> senders, long origin, long stopAt, long interval) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders.size(); i++) {
            Sender s = senders.get(i);
            long first = origin + (interval == 0 ? 0 : interval * i / senders.size());
            threads.add(Thread.ofVirtual().name("load-sender-" + i).start(() -> s.run(first, stopAt, stopAt + DRAIN.toNanos())));
        }
        for (long now = System.nanoTime(); now < stopAt; now = System.nanoTime()) {
            LockSupport.parkNanos(stopAt - now); // the run lasts its duration also without senders
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The servers' RSS summed now, or -1 without {@code --server-pid} or when one cannot be read. */
    private static long serverRss(LoadOptions o) {
        return Progress.sum(o.serverPids().stream().map(ProcStats::rssBytes).toList());
    }

    private static List<String> signIn(Api api, LoadOptions o, String runName, PrintStream log) {
        List<String> cookies = new ArrayList<>(o.senders());
        for (int i = 0; i < Math.max(1, o.senders()); i++) { // subscribers need a session even without senders
            cookies.add(api.signIn(runName + "-" + i, Duration.ofMinutes(5), log::println));
        }
        return cookies;
    }

    private static WebSocketClient webSocketClient() throws Exception {
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        // Virtual threads: a QueuedThreadPool of 8 cost the tool about twice the CPU per delivery in one trial.
        VirtualThreadPool pool = new VirtualThreadPool();
        pool.setName("load-ws");
        http.setExecutor(pool);
        WebSocketClient ws = new WebSocketClient(http);
        ws.setMaxTextMessageSize(16 << 20);
        ws.setIdleTimeout(Duration.ofHours(1));
        ws.setStopAtShutdown(false);
        ws.start();
        return ws;
    }

    /**
     * Opens every subscriber, 32 at a time, before any message is sent: the {@code k}-th of a room on node
     * {@code k % n}, reloading (after an epoch change) from that node's history as a page would.
     */
    private static Map<String, List<Subscriber>> subscribe(WebSocketClient ws, HttpClient http, LoadOptions o, List<RoomLedger> ledgers,
                                                           List<String> cookies, Timeline timeline, LoadIds ids,
                                                           PrintStream log) throws Exception {
        Nodes nodes = o.nodes();
        List<Api> apis = o.urls().stream().map(u -> new Api(http, u)).toList();
        Map<String, List<Subscriber>> all = new LinkedHashMap<>();
        List<Future<?>> opening = new ArrayList<>();
        Semaphore slots = new Semaphore(32);
        try (ExecutorService open = Executors.newVirtualThreadPerTaskExecutor()) {
            int n = 0;
            for (RoomLedger room : ledgers) {
                List<Subscriber> list = new ArrayList<>();
                for (int j = 0; j < o.subscribersPerRoom(); j++, n++) {
                    String cookie = cookies.get(n % cookies.size());
                    int node = nodes.subscriberNode(j);
                    Api api = apis.get(node);
                    Subscriber s = new Subscriber(ws, o.urls().get(node), room.roomId, room.startSeq, cookie, o.compression(), timeline, ids,
                            (after, scanner, sink) -> api.history(cookie, room.roomId, after, Verifier.PAGE, scanner, sink),
                            nodes.locality(node, room.roomId));
                    list.add(s);
                    opening.add(open.submit(() -> {
                        slots.acquire();
                        try {
                            s.open(Duration.ofSeconds(10));
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
                }
                all.put(room.roomId, list);
            }
            for (Future<?> f : opening) {
                f.get();
            }
        }
        log.printf("%d subscribers open%n", opening.size());
        return all;
    }

    /** Waits until every subscriber reached its room's last seq as the server says now, or until {@code deadline}. */
    private static void awaitSubscribers(Api api, String cookie, Map<String, List<Subscriber>> subscribers, long deadline) {
        Map<String, Long> last = api.lastSeqs(cookie);
        for (var room : subscribers.entrySet()) {
            long target = last.getOrDefault(room.getKey(), 0L);
            for (Subscriber s : room.getValue()) {
                while (s.lastSeq() < target && System.nanoTime() < deadline && !s.signedOut()) {
                    Api.sleep(Duration.ofMillis(20));
                }
            }
        }
    }

    /** A few distinct texts of {@code size} characters for sender {@code i}: words, so that compression sees text. */
    private static String[] contents(int i, int size) {
        String[] words = WORDS.split(" ");
        java.util.Random random = new java.util.Random(i);
        String[] texts = new String[16];
        for (int t = 0; t < texts.length; t++) {
            StringBuilder b = new StringBuilder(size + 16);
            while (b.length() < size) {
                b.append(words[random.nextInt(words.length)]).append(' ');
            }
            b.setLength(size);
            if (b.charAt(size - 1) == ' ') {
                b.setCharAt(size - 1, '.');
            }
            texts[t] = b.toString();
        }
        return texts;
    }
}
