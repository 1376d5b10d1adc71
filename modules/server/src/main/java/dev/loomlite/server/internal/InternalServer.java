package dev.loomlite.server.internal;

import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.spi.NodeChat;
import dev.loomlite.chat.spi.NotOwnerException;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.server.spi.InternalApi;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The API a cluster's nodes call each other on (docs/cluster-design.md §7.1): forwarded sends, history, the ends of
 * followed rooms and the room list of the shards this node owns. A Javalin application of its own on the node's
 * {@code internal} address, not a second connector of the public one: no public route, static file or WebSocket is
 * reachable here, and no internal route on the public port, without a guard that could miss a path.
 *
 * <p>Every request carries {@code Authorization: Bearer <cluster token>} (401 otherwise, nothing more said) and
 * {@value InternalApi#MAP_VERSION} (400 without). A request for a shard this node does not hold open as owner is
 * answered 421 and does nothing else, whatever the caller's map version. Sends answer exactly as the public route
 * (the same rate limiter, keyed by the author's user id, and the same JSON), with {@code Loomlite-Outcome} on a 503.
 * Requests run on their own virtual threads ({@code loomlite-internal-request-N}).
 *
 * <pre>{@code
 * InternalServer internal = new InternalServer(node, messages, gate, token, Duration.ofMillis(1500));
 * internal.start(new InetSocketAddress("127.0.0.1", 7171));
 * }</pre>
 */
final class InternalServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InternalServer.class.getName());
    /** Above java.net.http's 30 s keep-alive: a pooled connection is never closed by this side under a caller. */
    private static final Duration IDLE = Duration.ofSeconds(120);

    private final NodeChat node;
    private final MessageRoutes messages;
    private final Gate gate;
    private final byte[] expectedAuthorization;
    private final Duration sendTimeout;
    private final Javalin app;
    /** Requests for shards this node does not own (a caller with another map); read by /metrics. */
    final LongAdder misdirected = new LongAdder();
    /** Requests without the cluster token; read by /metrics. */
    final LongAdder unauthorized = new LongAdder();

    InternalServer(NodeChat node, MessageRoutes messages, Gate gate, String token, Duration sendTimeout) {
        this.node = node;
        this.messages = messages;
        this.gate = gate;
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
        this.sendTimeout = sendTimeout;
        this.app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.threadPool = Threads.jetty("loomlite-internal", "loomlite-internal-request-");
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = Json.MAX_BODY_BYTES;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            cfg.jetty.modifyServer(server -> server.setErrorHandler(JsonErrorPages.server()));
            cfg.routes.before(this::authorize);
            cfg.routes.post(InternalApi.MESSAGES_ROUTE, this::send);
            cfg.routes.get(InternalApi.MESSAGES_ROUTE, this::history);
            cfg.routes.post(InternalApi.POSITIONS_ROUTE, this::positions);
            cfg.routes.get(InternalApi.ROOMS_ROUTE, this::rooms);
            cfg.routes.exception(Misdirected.class, (e, ctx) -> ctx.status(421).json(e.body));
            ErrorMapping.install(cfg.routes);
        });
    }

    /** Binds {@code address}; the public server is already up, so forwarded work finds the engine open. */
    void start(InetSocketAddress address) {
        app.start(address.getHostString(), address.getPort());
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector c) {
                c.setIdleTimeout(IDLE.toMillis());
            }
        }
        LOG.log(System.Logger.Level.INFO, "internal API listening on {0}:{1}", address.getHostString(), port());
    }

    int port() {
        return app.port();
    }

    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        byte[] presented = header == null ? new byte[0] : header.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, expectedAuthorization)) {
            unauthorized.increment();
            throw ApiException.of(401, "cluster token required");
        }
        String version = ctx.header(InternalApi.MAP_VERSION);
        if (version == null || !version.matches("[0-9]{1,18}")) {
            throw ApiException.badRequest(InternalApi.MAP_VERSION, InternalApi.MAP_VERSION
                    + " must be the caller's shard map version, an integer");
        }
    }

    /** The room of the path, after checking that this node owns its shard and the path names that shard (421). */
    private String ownedRoom(Context ctx) {
        String roomId = Params.roomId(ctx.pathParam("roomId"));
        int shard = Placement.shardOf(roomId, node.placement().shards());
        if (!String.valueOf(shard).equals(ctx.pathParam("shard")) || !node.placement().owns(shard)) {
            throw misdirected(ctx, List.of(shard));
        }
        return roomId;
    }

    /** Ends a request for shards this node does not own: 421 with the owners this node knows. */
    private static final class Misdirected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient InternalApi.Misdirected body;

        Misdirected(InternalApi.Misdirected body) {
            super(body.error(), null, false, false);
            this.body = body;
        }
    }

    private Misdirected misdirected(Context ctx, List<Integer> shards) {
        misdirected.increment();
        Placement p = node.placement();
        String owners = shards.stream().distinct().map(s -> "shard " + s + " is owned by " + p.owner(s))
                .reduce((a, b) -> a + ", " + b).orElse("");
        LOG.log(System.Logger.Level.DEBUG, "misdirected internal request from node {0} with map version {1}: {2}",
                ctx.header(InternalApi.NODE), ctx.header(InternalApi.MAP_VERSION), owners);
        return new Misdirected(new InternalApi.Misdirected(owners + " at map version " + p.mapVersion() + " here",
                p.mapVersion()));
    }

    private void send(Context ctx) {
        gate.requireUp();
        String roomId = ownedRoom(ctx);
        InternalApi.SendBody body = Json.read(ctx, InternalApi.SendBody.class);
        if (body.authorId() == null || body.authorName() == null) {
            throw ApiException.badRequest(body.authorId() == null ? "authorId" : "authorName",
                    "a forwarded send names its author");
        }
        messages.limit(body.authorId());
        SendRequest request = MessageRoutes.request(roomId, body.authorId(), body.authorName(), body.clientId(),
                body.content(), body.replyToId());
        messages.store(ctx, request, sendTimeout);
    }

    private void history(Context ctx) {
        String roomId = ownedRoom(ctx);
        ctx.json(Wire.HistoryView.of(node.service().history(roomId, MessageRoutes.query(ctx))));
    }

    private void positions(Context ctx) {
        InternalApi.PositionsRequest body = Json.read(ctx, InternalApi.PositionsRequest.class);
        if (body.rooms() == null) {
            throw ApiException.badRequest("rooms", "rooms is required");
        }
        List<RoomRef> refs;
        try {
            refs = body.rooms().stream().map(r -> new RoomRef(r.shard(), Params.roomId(r.roomId()), r.epoch())).toList();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("rooms", e.getMessage());
        }
        List<RoomPosition.Named> ends;
        try {
            ends = node.positions(refs);
        } catch (NotOwnerException e) {
            throw misdirected(ctx, refs.stream().map(RoomRef::shard).filter(s -> !node.placement().owns(s)).toList());
        }
        ctx.json(new InternalApi.PositionsAnswer(ends.stream().map(n -> new InternalApi.PositionBody(n.roomId(),
                n.position().epoch(), n.position().lastSeq(), n.position().validThrough())).toList()));
    }

    private void rooms(Context ctx) {
        List<RoomInfo> rooms = node.ownedRooms();
        ctx.json(rooms.stream().map(r -> new InternalApi.RoomBody(r.roomId(), r.lastSeq())).toList());
    }

    @Override
    public void close() {
        app.stop();
    }
}
