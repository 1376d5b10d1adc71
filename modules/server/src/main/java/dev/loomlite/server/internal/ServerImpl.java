package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatConfig;
import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.spi.ChatNodes;
import dev.loomlite.chat.spi.FollowerMetrics;
import dev.loomlite.chat.spi.NodeChat;
import dev.loomlite.chat.spi.Topology;
import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ClusterOptions;
import dev.loomlite.server.ServerConfig;
import dev.loomlite.server.spi.Cluster;
import dev.loomlite.server.spi.ClusterProvider;
import dev.loomlite.server.spi.ClusterSettings;
import dev.loomlite.server.spi.Forwarder;
import dev.loomlite.server.spi.SessionEvent;
import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.SqlitePool;
import dev.loomlite.webclient.WebClient;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;

/**
 * The running server: the pool, the chat pipeline, sessions and the Javalin application over them, started in
 * that order and stopped in reverse within {@link ServerConfig#shutdownGrace()}.
 *
 * <p>Stopping: {@code /health} and every new send, session or upgrade answer 503; event streams end with a
 * reason; the chat pipeline finishes the sends it accepted (their HTTP answers go out); the connectors stop
 * accepting and every open connection finishes its exchange; then Jetty stops and the pool drains and
 * checkpoints. The grace is shared out: half for the chat pipeline, up to three quarters in all before Jetty
 * stops, a fifth for the pool.
 */
public final class ServerImpl implements ChatServer {
    private static final System.Logger LOG = System.getLogger(ServerImpl.class.getName());
    /** While stopping, a keep-alive connection idle this long is closed. */
    private static final Duration SHUTDOWN_IDLE = Duration.ofMillis(200);
    /** How often ended sessions are deleted (besides at startup); each run's work is bounded. */
    private static final Duration PURGE_EVERY = Duration.ofMinutes(15);
    /** Jetty's per-connection header field cache (its default is 1024). */
    static final int HEADER_CACHE_SIZE = 128;
    /** {@code PRAGMA cache_size} of every SQLite connection of the server, in KiB. */
    static final int SQLITE_CACHE_KIB = 4096;
    /** Users whose send buckets are remembered at once (about 100 bytes each). */
    private static final int SEND_LIMIT_KEYS = 100_000;

    /** A single server owns every room: nothing is forwarded. */
    private static final Forwarder NO_FORWARDER = (shard, roomId, send) -> {
        throw new IllegalStateException("room '" + roomId + "' of shard " + shard + " is not owned here, but this"
                + " server is not a cluster node");
    };

    private final ServerConfig config;
    private final SqlitePool pool;
    private final ChatService chat;
    private final SessionStore store;
    // Both null on a single server.
    private final Cluster cluster;
    private final ClusterSessions clusterSessions;
    private final InternalServer internal;
    private final Gate gate = new Gate();
    private final EventSocket events;
    private final Javalin app;
    private final ScheduledExecutorService housekeeping;
    /** Set once by the first close(), from any thread (the shutdown hook, a test). */
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServerImpl(ServerConfig config, Tuning tuning, SqlitePool pool, NodeChat node, SessionStore store,
            Cluster cluster) {
        this.config = config;
        this.pool = pool;
        // The public API of the engine this node opened; the cluster's internal routes will use the node view.
        this.chat = node.service();
        this.store = store;
        this.cluster = cluster;
        // A cluster node's sessions live at their home nodes; a single server's are all in its store.
        this.clusterSessions = cluster == null ? null : new ClusterSessions(store, cluster.sessions(),
                config.cluster().nodeId(), config.cluster().sessionCacheTtl(), tuning.ticker());
        TrustedProxies proxies = TrustedProxies.of(config.trustedProxies());
        SessionRoutes sessions = new SessionRoutes(cluster == null ? store : clusterSessions, gate, proxies,
                config.sessions(), tuning.ticker(), this::signedOut);
        RateLimiter limiter = new RateLimiter(config.sendRate(), config.sendBurst(), SEND_LIMIT_KEYS, tuning.ticker());
        MessageRoutes messages = new MessageRoutes(chat, sessions, limiter, gate, tuning.sendTimeout(),
                node.placement(), cluster == null ? NO_FORWARDER : cluster.forwarder());
        // A cluster node answers other nodes on its own internal server; a single server has none.
        this.internal = cluster == null ? null : new InternalServer(node, messages, gate, config.cluster().token(),
                tuning.internalSendTimeout(), store, clusterSessions, this::signedOut);
        this.events = new EventSocket(chat, sessions, new OriginPolicy(config.allowedOrigins()), proxies, gate,
                tuning.wsSendTimeout());
        HttpMetrics http = new HttpMetrics();
        MetricsRoutes metrics = new MetricsRoutes(pool, chat, http, events::open, messages.rateLimited::sum,
                sessions.rateLimited::sum, gate, new MetricsAccess(config.metricsToken(), proxies),
                () -> clusterMetrics(node, messages));
        this.app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.threadPool = Threads.jetty();
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = Json.MAX_BODY_BYTES;
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WebClient.ROOT;
                files.location = Location.CLASSPATH;
            });
            cfg.jetty.modifyHttpConfiguration(httpConfig -> {
                httpConfig.setSendServerVersion(false);
                // Jetty keeps a cache of parsed header fields per connection, sized for 1024 entries: ~90 KiB of
                // heap each, held by every keep-alive connection and every event stream (2000 sending connections
                // held ~170 MiB). A small one still catches the few headers a client repeats on each request.
                httpConfig.setHeaderCacheSize(HEADER_CACHE_SIZE);
                httpConfig.addCustomizer(SecurityHeaders.customizer());
            });
            cfg.jetty.modifyServer(server -> server.setErrorHandler(JsonErrorPages.server()));
            cfg.jetty.modifyServletContextHandler(context -> context.setErrorHandler(JsonErrorPages.servlet()));
            cfg.jetty.modifyWebSocketServletFactory(factory -> {
                factory.setIdleTimeout(tuning.wsIdleTimeout());
                factory.setMaxTextMessageSize(4096);
                // No extension is negotiated, permessage-deflate included though browsers offer it: compressing every
                // subscriber's copy of every small frame separately was the largest CPU cost of fan-out, and each
                // connection kept a zlib context (hundreds of KiB of native memory). Frames are small JSON; see
                // BENCHMARKS.md for the measurement. The set is the live extension registry of this server's
                // WebSocket components (what Jetty's maintainers advise: unregister what must not be negotiated);
                // the others (fragment, identity, Jetty's @-prefixed test extensions) serve no client of ours.
                factory.getAvailableExtensionNames().clear();
            });
            cfg.requestLogger.http(http::record);
            // API answers are per user and current: never stored by a browser or proxy.
            cfg.routes.before("/api/*", ctx -> ctx.header("Cache-Control", "no-store"));
            cfg.routes.get("/health", this::health);
            metrics.install(cfg.routes);
            sessions.install(cfg.routes);
            messages.install(cfg.routes);
            events.install(cfg.routes);
            ErrorMapping.install(cfg.routes);
        });
        this.housekeeping = Threads.scheduler("loomlite-housekeeping");
    }

    /** Opens the data (migrating it), then binds the port; anything opened is closed again if a step fails. */
    public static ServerImpl start(ServerConfig config, Tuning defaults) {
        return start(config, defaults, ServerImpl::installedCluster);
    }

    /**
     * The cluster support on the module path: the optional {@code dev.loomlite.cluster} module's provider. Looked up
     * only for a cluster node, so a single server never loads it.
     */
    private static Optional<ClusterProvider> installedCluster() {
        return ServiceLoader.load(ClusterProvider.class).findFirst();
    }

    /**
     * {@link #start(ServerConfig, Tuning)} with the cluster support {@code clusters} gives (tests pass a fake one).
     *
     * @throws IllegalStateException when the configuration asks for a cluster and none is installed
     */
    public static ServerImpl start(ServerConfig config, Tuning defaults, Supplier<Optional<ClusterProvider>> clusters) {
        ClusterOptions options = config.cluster().requireComplete();
        Cluster cluster = null;
        if (options.enabled()) {
            ClusterProvider provider = clusters.get().orElseThrow(() -> new IllegalStateException("--cluster-map needs"
                    + " modules/cluster (the dev.loomlite.cluster module) on the module path; it is not there"));
            // Reads and checks the map before any file is opened: a wrong map must touch nothing.
            cluster = provider.open(new ClusterSettings(options.mapFile().orElseThrow(), options.nodeId(),
                    options.token(), config.shards(), options.sessionCacheTtl(), options.probeEvery()));
        }
        try {
            return start(config, defaults, cluster);
        } catch (RuntimeException e) {
            if (cluster != null) {
                closeQuietly(cluster, e);
            }
            throw e;
        }
    }

    private static ServerImpl start(ServerConfig config, Tuning defaults, Cluster cluster) {
        // The shard count is an operator's setting (--shards); the rest of the chat limits are tuning.
        Tuning tuning = defaults.withChat(defaults.chat().withShards(config.shards()));
        Duration grace = config.shutdownGrace();
        SqlitePool pool = SqlitePool.open(PoolConfig.builder(config.dataDir())
                // One writer thread per chat shard, so shards commit in parallel; the sessions file shares one.
                .writers(tuning.chat().shards())
                .environment(System.getenv())
                .synchronous(config.synchronous())
                // Each of the ~15 connections (writer, readers, checkpointer per file) would keep up to 16 MB of
                // pages: under load, pages read from the WAL filled them and native memory grew by ~100 MB. Reads
                // of the database file go through mmap anyway; the hot pages of a chat file are few.
                .cacheSizeKib(SQLITE_CACHE_KIB)
                .shutdownGrace(grace.dividedBy(5))
                .build());
        if (!pool.config().useWorkers()) {
            // The seed's rollback switch (USE_SQLITE_WORKERS=0) is honoured, but say what it costs.
            LOG.log(Level.WARNING, "direct mode ({0}=0): SQLite runs on the request and room threads, which pins "
                    + "virtual threads to their carriers under load", PoolConfig.ENV_USE_WORKERS);
        }
        NodeChat chat = null;
        try {
            ChatConfig chatConfig = tuning.chat().withShutdownGrace(grace.dividedBy(2));
            chat = ChatNodes.open(chatConfig, pool,
                    cluster == null ? Topology.standalone(chatConfig.shards()) : cluster.topology());
            SessionStore store = SessionStore.open(pool, config.sessions(), tuning.clock());
            purge(store);
            ServerImpl server = new ServerImpl(config, tuning, pool, chat, store, cluster);
            server.serve(tuning.wsPing());
            return server;
        } catch (RuntimeException e) {
            if (chat != null) {
                closeQuietly(chat, e);
            }
            closeQuietly(pool, e);
            throw e;
        }
    }

    /** With the default {@link Tuning}. */
    public static ServerImpl start(ServerConfig config) {
        return start(config, Tuning.defaults());
    }

    private void serve(Duration ping) {
        try {
            app.start(config.host(), config.port());
            if (cluster != null) {
                internal.start(cluster.internalAddress());
                cluster.start(this::sessionEvent);
            }
        } catch (RuntimeException e) {
            housekeeping.shutdownNow();
            if (internal != null) {
                closeQuietly(internal, e);
            }
            closeQuietly(app::stop, e);
            throw e;
        }
        housekeeping.scheduleWithFixedDelay(events::pingAll, ping.toMillis(), ping.toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(() -> purge(store), PURGE_EVERY.toMillis(), PURGE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        if (cluster != null) {
            long every = Math.max(50, config.cluster().sessionCacheTtl().toMillis() / 2);
            housekeeping.scheduleWithFixedDelay(this::revalidateSessions, every, every, TimeUnit.MILLISECONDS);
        }
        gate.open();
    }

    /**
     * Deletes ended sessions (bounded; see {@link SessionStore#purgeExpired}): at startup on the starting thread,
     * then on the housekeeping thread. A failure is logged, never thrown: it would cancel the periodic run, and
     * the next run deletes what this one left.
     */
    private static void purge(SessionStore store) {
        try {
            int purged = store.purgeExpired();
            if (purged > 0) {
                LOG.log(Level.INFO, "deleted {0} ended session(s)", purged);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "deleting ended sessions failed; the next run retries", e);
        }
    }

    /** A cluster node's metrics: the cluster module's, its followers', its forwards' and its internal API's. */
    private Map<String, Long> clusterMetrics(NodeChat node, MessageRoutes messages) {
        if (cluster == null) {
            return Map.of();
        }
        Map<String, Long> m = new LinkedHashMap<>(cluster.metrics());
        FollowerMetrics f = node.followers();
        m.put("loomlite_cluster_follower_rooms", f.followedRooms());
        m.put("loomlite_cluster_follower_gaps_total", f.gaps());
        m.put("loomlite_cluster_follower_repairs_total", f.repairs());
        m.put("loomlite_cluster_follower_failed_repairs_total", f.failedRepairs());
        m.put("loomlite_cluster_follower_max_repair_ms", f.maxRepairMillis());
        m.put("loomlite_cluster_follower_epoch_resets_total", f.epochResets());
        m.put("loomlite_cluster_follower_lost_events_total", f.lostEvents());
        m.put("loomlite_cluster_gateway_forwards_total", messages.forwarded.sum());
        m.put("loomlite_cluster_internal_misdirected_total", internal.misdirected.sum());
        m.put("loomlite_cluster_internal_unauthorized_total", internal.unauthorized.sum());
        return m;
    }

    /** Another node signed a session out (on the broker's dispatcher thread): its streams here end too. */
    private void sessionEvent(SessionEvent event) {
        clusterSessions.onEvent(event);
        if (event.kind() == SessionEvent.Kind.REVOKED) {
            // Off the dispatcher thread: ending streams waits for each one's reset frame.
            Thread.ofVirtual().name("loomlite-signed-out").start(() -> events.endSignedOut(event.userId()));
        }
    }

    /**
     * Asks the homes of the sessions with open streams here whether they were signed out: a sign-out whose broadcast
     * was lost ends those streams within half the session cache's lifetime. On the housekeeping thread; a failure is
     * logged, never thrown (it would cancel the schedule).
     */
    private void revalidateSessions() {
        try {
            List<String> revoked = clusterSessions.revalidate(events.openSessionHashes());
            if (!revoked.isEmpty()) {
                events.endSignedOutSessions(revoked);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "revalidating the sessions of open streams failed; the next run retries", e);
        }
    }

    /** A session was signed out (on its request thread): its live streams end too. */
    private void signedOut(String userId) {
        // Requests arrive only once the server has started, after the constructor has set events.
        events.endSignedOut(userId);
    }

    private void health(Context ctx) {
        switch (gate.phase()) {
            case UP -> ctx.json(Map.of("status", "up"));
            case STARTING -> ctx.status(503).header("Retry-After", "2").json(Map.of("status", "starting"));
            case DRAINING -> ctx.status(503).header("Retry-After", "2").json(Map.of("status", "draining"));
        }
    }

    @Override
    public int port() {
        return app.port();
    }

    /** The port of the internal API a cluster node answers other nodes on; empty on a single server. */
    public OptionalInt internalPort() {
        return internal == null ? OptionalInt.empty() : OptionalInt.of(internal.port());
    }

    @Override
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /**
     * Turns {@code /health} and new work to 503 without stopping anything: the first step of {@link #close()},
     * on its own for tests (this package is not exported).
     */
    public void drain() {
        gate.drain();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        Duration grace = config.shutdownGrace();
        gate.drain();
        LOG.log(Level.INFO, "stopping: draining for up to {0}", grace);
        events.endAll("server is shutting down");
        try {
            chat.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the chat pipeline did not close cleanly", e);
        }
        awaitConnections(grace.multipliedBy(3).dividedBy(4).minusNanos(System.nanoTime() - start));
        if (cluster != null) {
            // After the engine (its last commits are handed to the publisher before the broker connection closes) and
            // after the public connections (their forwards in flight still reach the owners).
            try {
                cluster.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the cluster connection did not close cleanly", e);
            }
            internal.close();
        }
        housekeeping.shutdownNow();
        app.stop();
        try {
            pool.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the pool did not close cleanly", e);
        }
        LOG.log(Level.INFO, "stopped after {0} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * Stops accepting connections and waits, up to {@code budget}, until every open one is done: each finishes
     * the exchange it is in, and idle keep-alive connections close after {@link #SHUTDOWN_IDLE}. Only then may
     * Jetty stop without cutting a response off.
     */
    private void awaitConnections(Duration budget) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        int open = 0;
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector graceful) {
                graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE.toMillis());
                closing.add(graceful.shutdown());
                open += graceful.getConnectedEndPoints().size();
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, budget.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "stopping with connections still open after {0} ms (of {1} open when draining began)",
                    budget.toMillis(), open);
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "closing connections failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "interrupted while waiting for open connections");
        }
    }

    private static void closeQuietly(AutoCloseable resource, RuntimeException failure) {
        try {
            resource.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
