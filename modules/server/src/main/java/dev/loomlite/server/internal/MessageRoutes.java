package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.InputRules;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.server.spi.ForwardedSend;
import dev.loomlite.server.spi.Forwarder;
import dev.loomlite.server.spi.InternalApi;
import dev.loomlite.server.spi.Relayed;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Rooms and messages: {@code GET /api/rooms}, {@code POST} and {@code GET /api/rooms/{roomId}/messages}.
 *
 * <p>A send is checked in this order: server up (503), session (401), rate (429), body (415, 413, 400), then
 * handed to {@link ChatService#send}, which answers once the message is durable: 201 for a new message, 200
 * with the identical body for a replay of the same {@code clientId}; 503 "may or may not be stored" when the commit
 * did not come within {@link Tuning#sendTimeout()}. Chat and pool failures are mapped by {@link ErrorMapping}.
 *
 * <p>On a node of a cluster, a send to a room another node owns is checked the same way but for the rate (the owner
 * limits each user's sends), then forwarded to the owner ({@link Forwarder}) and its answer relayed byte for byte;
 * an owner that cannot be reached gives 503 "nothing was stored" or "may or may not be stored"
 * ({@code Loomlite-Outcome}). History and the room list of other nodes' rooms come through the engine's remote log.
 */
final class MessageRoutes {
    static final String GENERAL = "general";
    /** When to retry a send whose room's owner did not answer. */
    private static final Duration OWNER_RETRY = Duration.ofSeconds(1);

    private final ChatService chat;
    private final SessionRoutes sessions;
    private final RateLimiter limiter;
    private final Gate gate;
    private final Duration sendTimeout;
    private final Placement placement;
    private final Forwarder forwarder;
    // Fixed with the placement: whether any send could go to another node.
    private final boolean ownsEveryShard;
    /** Sends refused with 429; incremented by request threads, read by /metrics. */
    final LongAdder rateLimited = new LongAdder();
    /** Sends forwarded to another node, by outcome; incremented by request threads, read by /metrics. */
    final LongAdder forwarded = new LongAdder();
    final LongAdder forwardsNotStored = new LongAdder();
    final LongAdder forwardsUnknown = new LongAdder();

    /**
     * @param placement which node owns each room's shard
     * @param forwarder where sends to rooms owned elsewhere go (never called when this node owns every shard)
     */
    MessageRoutes(ChatService chat, SessionRoutes sessions, RateLimiter limiter, Gate gate, Duration sendTimeout,
            Placement placement, Forwarder forwarder) {
        this.chat = chat;
        this.placement = placement;
        this.forwarder = forwarder;
        this.ownsEveryShard = IntStream.range(0, placement.shards()).allMatch(placement::owns);
        this.sendTimeout = sendTimeout;
        this.sessions = sessions;
        this.limiter = limiter;
        this.gate = gate;
    }

    void install(RoutesConfig routes) {
        routes.get("/api/rooms", this::rooms);
        routes.post("/api/rooms/{roomId}/messages", this::send);
        routes.get("/api/rooms/{roomId}/messages", this::history);
    }

    /** Every room with a message, and {@code general} always; by room id. */
    private void rooms(Context ctx) {
        sessions.require(ctx);
        List<Wire.RoomView> rooms = new ArrayList<>(chat.rooms().stream().map(Wire.RoomView::of).toList());
        if (rooms.stream().noneMatch(room -> room.roomId().equals(GENERAL))) {
            rooms.add(new Wire.RoomView(GENERAL, 0));
        }
        rooms.sort(Comparator.comparing(Wire.RoomView::roomId));
        ctx.json(rooms);
    }

    private void send(Context ctx) {
        gate.requireUp();
        Sessions.User user = sessions.require(ctx);
        String roomId = Params.roomId(ctx.pathParam("roomId"));
        // A node that owns every shard (a single server) forwards nothing: no hash on its send path.
        int shard = ownsEveryShard ? -1 : Placement.shardOf(roomId, placement.shards());
        boolean local = ownsEveryShard || placement.owns(shard);
        if (local) {
            limit(user.userId());
        }
        Wire.SendBody body = Json.read(ctx, Wire.SendBody.class);
        SendRequest request = request(roomId, user.userId(), user.name(), body.clientId(), body.content(), body.replyToId());
        if (local) {
            store(ctx, request, sendTimeout);
            return;
        }
        InputRules.check(request); // junk is refused here, never forwarded
        relay(ctx, forwarder.send(shard, roomId, new ForwardedSend(request.authorId(), request.authorName(),
                request.clientId(), request.content(), request.replyToId())));
    }

    /** 429 when {@code userId} sent more than its rate (on the node that owns the room: the limit is per owner). */
    void limit(String userId) {
        limiter.acquire(userId).ifPresent(wait -> {
            rateLimited.increment();
            throw ApiException.retryLater(429, "too many messages: slow down", wait);
        });
    }

    /** A send from a body's fields: 400 naming a missing one. */
    static SendRequest request(String roomId, String authorId, String authorName, String clientId, String content,
            Long replyToId) {
        if (clientId == null) {
            throw ApiException.badRequest("clientId", "clientId is required: 1 to 64 of [A-Za-z0-9_-]");
        }
        if (content == null) {
            throw ApiException.badRequest("content", "content is required");
        }
        OptionalLong replyTo = replyToId == null ? OptionalLong.empty() : OptionalLong.of(replyToId);
        return new SendRequest(roomId, authorId, authorName, clientId, content, replyTo);
    }

    /** Stores a send of a room this node owns and answers 201, or 200 with the identical body for a replay. */
    void store(Context ctx, SendRequest request, Duration timeout) {
        SendResult result = chat.send(request, timeout);
        ctx.status(result.replay() ? 200 : 201).json(Wire.MessageView.of(result.message()));
    }

    /** The owner's answer to a forwarded send, as it gave it; or the gateway's 503 when there is none. */
    private void relay(Context ctx, Relayed relayed) {
        forwarded.increment();
        switch (relayed.outcome()) {
            case ANSWERED -> {
                if (relayed.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", Long.toString(relayed.retryAfterSeconds()));
                }
                ctx.status(relayed.status()).contentType("application/json").result(relayed.body());
            }
            case NOT_STORED -> {
                forwardsNotStored.increment();
                throw ApiException.retryLater(503, "the room's server is unavailable: nothing was stored; retry",
                        OWNER_RETRY).outcome(InternalApi.NOT_STORED);
            }
            case UNKNOWN -> {
                forwardsUnknown.increment();
                throw ApiException.retryLater(503, "the message may or may not be stored; retry with the same clientId",
                        OWNER_RETRY).outcome(InternalApi.UNKNOWN);
            }
        }
    }

    /** {@code ?after=S} ascending from S, {@code ?before=S} the newest page below S, neither: the newest page. */
    private void history(Context ctx) {
        sessions.require(ctx);
        String roomId = Params.roomId(ctx.pathParam("roomId"));
        ctx.json(Wire.HistoryView.of(chat.history(roomId, query(ctx))));
    }

    /** The history query of a request's {@code after}, {@code before} and {@code limit}: 400 naming a bad one. */
    static HistoryQuery query(Context ctx) {
        String after = ctx.queryParam("after");
        String before = ctx.queryParam("before");
        int limit = Params.limit(ctx.queryParam("limit"));
        if (after != null && before != null) {
            throw ApiException.badRequest("before", "use either after or before, not both");
        }
        return after != null ? HistoryQuery.after(Params.seq(after, "after", 0), limit)
                : before != null ? HistoryQuery.before(Params.seq(before, "before", 0), limit)
                : HistoryQuery.latest(limit);
    }
}
