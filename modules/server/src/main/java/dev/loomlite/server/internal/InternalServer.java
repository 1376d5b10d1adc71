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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
    /** Sessions one look-up may ask about: its body stays under the 64 KiB request limit (callers send 500). */
    private static final int MAX_LOOKUP = 900;

    private final NodeChat node;
    private final MessageRoutes messages;
    private final Gate gate;
    private final byte[] expectedAuthorization;
    private final Duration sendTimeout;
    private final SessionStore store;
    private final ClusterSessions sessions;
    // Ends this node's streams of a user whose session (homed here) another node signed out; on the request thread.
    private final Consumer<String> signedOutHere;
    private final Javalin app;
    /** Requests for shards this node does not own (a caller with another map); read by /metrics. */
    final LongAdder misdirected = new LongAdder();
    /** Requests without the cluster token; read by /metrics. */
    final LongAdder unauthorized = new LongAdder();

    InternalServer(NodeChat node, MessageRoutes messages, Gate gate, String token, Duration sendTimeout,
            SessionStore store, ClusterSessions sessions, Consumer<String> signedOutHere) {
        this.node = node;
        this.store = store;
        this.sessions = sessions;
        this.signedOutHere = signedOutHere;
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
            cfg.routes.post(InternalApi.SESSION_LOOKUP_ROUTE, this::lookupSessions);
            cfg.routes.post(InternalApi.SESSIONS_ROUTE, this::createSession);
            cfg.routes.post(InternalApi.SESSION_NAME_ROUTE, this::renameSession);
            cfg.routes.delete(InternalApi.SESSION_ROUTE, this::revokeSession);
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

    /** What this node, the home of some of them, says of sessions: {@code not-home} for the others. */
    private void lookupSessions(Context ctx) {
        InternalApi.SessionLookup body = Json.read(ctx, InternalApi.SessionLookup.class);
        if (body.tokenHashes() == null || body.tokenHashes().size() > MAX_LOOKUP) {
            throw ApiException.badRequest("tokenHashes", "tokenHashes is a list of at most " + MAX_LOOKUP + " hashes");
        }
        Map<String, InternalApi.SessionState> answers = new LinkedHashMap<>();
        for (String hash : body.tokenHashes()) {
            if (!SessionTokens.wellFormedHash(hash)) {
                throw ApiException.badRequest("tokenHashes", "a token hash is 64 lowercase hex digits");
            }
            answers.put(hash, isHome(hash) ? state(hash, store.lookupHash(hash, body.use()))
                    : InternalApi.SessionState.of(InternalApi.SessionState.NOT_HOME));
        }
        ctx.json(new InternalApi.SessionLookupAnswer(answers));
    }

    private InternalApi.SessionState state(String hash, Sessions.Lookup lookup) {
        return switch (lookup) {
            case Sessions.Active a -> new InternalApi.SessionState(InternalApi.SessionState.ACTIVE, a.user().userId(),
                    a.user().name(), a.left().toMillis(), null);
            case Sessions.Expired e -> new InternalApi.SessionState(InternalApi.SessionState.EXPIRED, null, null, null,
                    e.reason());
            case Sessions.Unknown u -> InternalApi.SessionState.of(store.revoked(hash) ? InternalApi.SessionState.REVOKED
                    : InternalApi.SessionState.UNKNOWN);
            case Sessions.Unavailable u -> throw new IllegalStateException("a home's own store is never unavailable");
        };
    }

    private void createSession(Context ctx) {
        gate.requireUp();
        InternalApi.SessionCreate body = Json.read(ctx, InternalApi.SessionCreate.class);
        String hash = homeHash(ctx, body.tokenHash());
        if (body.userId() == null || body.name() == null) {
            throw ApiException.badRequest(body.userId() == null ? "userId" : "name", "a session names its user");
        }
        Sessions.User user = store.create(hash, body.userId(), Names.valid(body.name()));
        ctx.status(201).json(new InternalApi.SessionUser(user.userId(), user.name()));
    }

    private void renameSession(Context ctx) {
        gate.requireUp();
        String hash = homeHash(ctx, ctx.pathParam("hash"));
        InternalApi.SessionRename body = Json.read(ctx, InternalApi.SessionRename.class);
        String name = Names.valid(body.name());
        Optional<Sessions.User> renamed = store.renameHash(hash, name);
        if (renamed.isEmpty()) {
            throw ApiException.of(404, "no such session");
        }
        sessions.onRenamedHere(hash, renamed.get());
        ctx.json(new InternalApi.SessionUser(renamed.get().userId(), renamed.get().name()));
    }

    private void revokeSession(Context ctx) {
        gate.requireUp();
        String hash = homeHash(ctx, ctx.pathParam("hash"));
        String userId = ctx.queryParam("userId");
        if (userId == null) {
            throw ApiException.badRequest("userId", "userId is required");
        }
        if (!(store.lookupHash(hash, false) instanceof Sessions.Active active)) {
            throw ApiException.of(404, "no such session");
        }
        if (!active.user().userId().equals(userId)) {
            throw ApiException.of(409, "this session is another user's: nothing was signed out");
        }
        sessions.revokeHere(hash, userId);
        signedOutHere.accept(userId);
        ctx.status(204);
    }

    /** A well-formed token hash of a session homed here: 400 or 421 otherwise. */
    private String homeHash(Context ctx, String hash) {
        if (!SessionTokens.wellFormedHash(hash)) {
            throw ApiException.badRequest("tokenHash", "a token hash is 64 lowercase hex digits");
        }
        if (!isHome(hash)) {
            throw misdirected(ctx, List.of(Placement.shardOf(hash, node.placement().shards())));
        }
        return hash;
    }

    private boolean isHome(String hash) {
        return node.placement().owns(Placement.shardOf(hash, node.placement().shards()));
    }

    @Override
    public void close() {
        app.stop();
    }
}
