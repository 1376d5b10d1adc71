package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.SendRequest;
import dev.loomlite.chat.SendResult;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rooms and messages: {@code GET /api/rooms}, {@code POST} and {@code GET /api/rooms/{roomId}/messages}.
 *
 * <p>A send is checked in this order: server up (503), session (401), rate (429), body (415, 413, 400), then
 * handed to {@link ChatService#send}, which answers once the message is durable: 201 for a new message, 200
 * with the identical body for a replay of the same {@code clientId}; 503 "may or may not be stored" when the commit
 * did not come within {@link Tuning#sendTimeout()}. Chat and pool failures are mapped by {@link ErrorMapping}.
 */
final class MessageRoutes {
    static final String GENERAL = "general";

    private final ChatService chat;
    private final SessionRoutes sessions;
    private final RateLimiter limiter;
    private final Gate gate;
    private final Duration sendTimeout;
    /** Sends refused with 429; incremented by request threads, read by /metrics. */
    final LongAdder rateLimited = new LongAdder();

    MessageRoutes(ChatService chat, SessionRoutes sessions, RateLimiter limiter, Gate gate, Duration sendTimeout) {
        this.chat = chat;
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
        limiter.acquire(user.userId()).ifPresent(wait -> {
            rateLimited.increment();
            throw ApiException.retryLater(429, "too many messages: slow down", wait);
        });
        Wire.SendBody body = Json.read(ctx, Wire.SendBody.class);
        if (body.clientId() == null) {
            throw ApiException.badRequest("clientId", "clientId is required: 1 to 64 of [A-Za-z0-9_-]");
        }
        if (body.content() == null) {
            throw ApiException.badRequest("content", "content is required");
        }
        OptionalLong replyTo = body.replyToId() == null ? OptionalLong.empty() : OptionalLong.of(body.replyToId());
        SendResult result = chat.send(new SendRequest(roomId, user.userId(), user.name(), body.clientId(),
                body.content(), replyTo), sendTimeout);
        ctx.status(result.replay() ? 200 : 201).json(Wire.MessageView.of(result.message()));
    }

    /** {@code ?after=S} ascending from S, {@code ?before=S} the newest page below S, neither: the newest page. */
    private void history(Context ctx) {
        sessions.require(ctx);
        String roomId = Params.roomId(ctx.pathParam("roomId"));
        String after = ctx.queryParam("after");
        String before = ctx.queryParam("before");
        int limit = Params.limit(ctx.queryParam("limit"));
        if (after != null && before != null) {
            throw ApiException.badRequest("before", "use either after or before, not both");
        }
        HistoryQuery query = after != null ? HistoryQuery.after(Params.seq(after, "after", 0), limit)
                : before != null ? HistoryQuery.before(Params.seq(before, "before", 0), limit)
                : HistoryQuery.latest(limit);
        ctx.json(Wire.HistoryView.of(chat.history(roomId, query)));
    }
}
