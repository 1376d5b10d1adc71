package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatClosedException;
import dev.loomlite.chat.ChatService;
import dev.loomlite.chat.CursorAheadException;
import dev.loomlite.chat.OwnerUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code /api/rooms/{roomId}/events?after=S&epoch=E}: every message of the room with {@code seq > S}, backlog then
 * live, as {@code {"type":"message","message":{...}}} frames, through {@link ChatService#subscribe}. {@code E} is the
 * epoch of the client's cursor (absent: 1); a cursor past what the room keeps of that epoch gets a {@code resync}
 * frame and close 4409.
 *
 * <p>The upgrade is refused with a JSON error before any WebSocket exists: 503 while not up, 403 for a
 * foreign {@code Origin}, 401 without a live session, 400 for a bad room id or cursor. When the session that
 * opened a stream signs out, the stream ends at once ({@code "signed out"}, close code 1008); a session that
 * merely expires keeps its open streams until they reconnect, and the reconnect is refused. A session found gone
 * once the connection is up (it expired, or was replaced by a rename, after the upgrade's check) closes it with
 * 4401 {@code "no valid session"}: not a sign-out, so the client renews as after any 401. Only a session this
 * server signed out closes with 1008 there too.
 */
final class EventSocket {
    static final String PATH = "/api/rooms/{roomId}/events";
    private static final System.Logger LOG = System.getLogger(EventSocket.class.getName());
    /** The reset's reason and close reason of a signed-out session's streams (the page matches it). */
    static final String SIGNED_OUT = "signed out";
    /** The close reason when the session's home node (in a cluster) did not answer: reconnect, do not sign in. */
    static final String SESSION_UNAVAILABLE = "the session's server is unavailable; reconnect";
    private static final String NO_SESSION = "no valid session";

    private final ChatService chat;
    private final SessionRoutes sessions;
    private final OriginPolicy origins;
    private final TrustedProxies proxies;
    private final Gate gate;
    private final Duration sendTimeout;
    private final EventFrames frames = new EventFrames();
    /** Open streams by WebSocket session id; added by connecting threads, removed by ending ones. */
    private final Map<String, EventStream> streams = new ConcurrentHashMap<>();

    EventSocket(ChatService chat, SessionRoutes sessions, OriginPolicy origins, TrustedProxies proxies, Gate gate,
                Duration sendTimeout) {
        this.chat = chat;
        this.sessions = sessions;
        this.origins = origins;
        this.proxies = proxies;
        this.gate = gate;
        this.sendTimeout = sendTimeout;
    }

    void install(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, this::checkUpgrade);
        routes.ws(PATH, ws -> {
            ws.onConnect(this::connect);
            ws.onMessage(ctx -> { }); // the stream is one-way; anything a client sends is ignored
            ws.onClose(this::gone);
            ws.onError(this::gone);
        });
    }

    /** Open WebSocket subscribers, for /metrics. */
    int open() {
        return streams.size();
    }

    /** Pings every open stream (from the server's scheduler). */
    void pingAll() {
        streams.values().forEach(EventStream::ping);
    }

    /** Ends every stream with {@code reason} (graceful stop), in parallel: a slow client delays only itself. */
    void endAll(String reason) {
        try (ExecutorService enders = Threads.virtual("loomlite-ws-end")) {
            streams.values().forEach(stream -> enders.execute(() -> stream.end(EventStream.Ending.SHUTDOWN, reason)));
        }
    }

    /**
     * Ends the open streams of {@code userId}, whose session was just signed out, in parallel; returns when they
     * have ended (each within its one-second reset timeout). Runs on the signing-out request's thread.
     */
    void endSignedOut(String userId) {
        endSignedOut(stream -> stream.userId().equals(userId));
    }

    /** {@link #endSignedOut(String)} for the streams opened with the sessions whose token hashes are {@code hashes}. */
    void endSignedOutSessions(Collection<String> hashes) {
        Set<String> revoked = Set.copyOf(hashes);
        endSignedOut(stream -> revoked.contains(stream.sessionHash()));
    }

    private void endSignedOut(Predicate<EventStream> which) {
        try (ExecutorService enders = Threads.virtual("loomlite-ws-end")) {
            streams.values().stream().filter(which)
                    .forEach(stream -> enders.execute(() -> stream.end(EventStream.Ending.SIGNED_OUT, SIGNED_OUT)));
        }
    }

    /** The token hashes of the sessions that have open streams (a cluster node revalidates the remote ones). */
    Set<String> openSessionHashes() {
        return streams.values().stream().map(EventStream::sessionHash).collect(Collectors.toSet());
    }

    /**
     * Refuses a bad upgrade with its JSON error. Javalin answers an upgrade its before-upgrade handler refused with the
     * status and headers the exception mapping sets, but never writes the context's result: the body is written here.
     */
    private void checkUpgrade(Context ctx) throws IOException {
        try {
            check(ctx);
        } catch (ApiException e) {
            byte[] body = Json.write(e.body()).getBytes(StandardCharsets.UTF_8);
            ErrorMapping.respond(ctx, e);
            ctx.res().setContentLength(body.length);
            ctx.res().getOutputStream().write(body);
            throw e; // ends the upgrade
        }
    }

    private void check(Context ctx) {
        gate.requireUp();
        if (!origins.allows(ctx.header("Origin"), proxies.view(ctx))) {
            throw ApiException.of(403, "origin not allowed");
        }
        sessions.require(ctx);
        Params.roomId(ctx.pathParam("roomId"));
        Params.seq(ctx.queryParam("after"), "after", 0);
        Params.epoch(ctx.queryParam("epoch"));
    }

    private void connect(WsConnectContext ctx) {
        String roomId = ctx.pathParam("roomId");
        long after = Params.seq(ctx.queryParam("after"), "after", 0);
        long epoch = Params.epoch(ctx.queryParam("epoch"));
        String token = ctx.cookie(SessionRoutes.COOKIE);
        Sessions.Lookup found = sessions.lookup(token);
        if (!(found instanceof Sessions.Active user)) {
            EventStream.Ending ending = gone(token, found);
            ctx.closeSession(ending.code, reason(ending));
            return;
        }
        EventStream stream = new EventStream(ctx, frames, user.user().userId(), SessionTokens.hash(token), gate,
                sendTimeout, () -> streams.remove(ctx.sessionId()));
        streams.put(ctx.sessionId(), stream);
        // A sign-out between the look-up and the put did not see this stream: look again now that it is listed.
        Sessions.Lookup again = sessions.lookup(token);
        if (!(again instanceof Sessions.Active)) {
            EventStream.Ending ending = gone(token, again);
            stream.end(ending, reason(ending));
            return;
        }
        try {
            stream.attach(chat.subscribe(roomId, epoch, after, stream));
        } catch (CursorAheadException e) {
            stream.resync(e.lastSeq(), e.epoch(), "cursor after=" + after + " of epoch " + epoch
                    + " is past what the room keeps of that epoch (seq " + e.lastSeq() + ", now at epoch " + e.epoch()
                    + "); reload the room");
        } catch (ChatClosedException e) {
            stream.end(EventStream.Ending.SHUTDOWN, "server is shutting down");
        } catch (OwnerUnavailableException e) {
            // Another node owns the room and did not answer (a cluster): the client reconnects later, nothing is lost.
            stream.end(EventStream.Ending.RESET, "the room's server is unavailable, reconnect later");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "subscribing to a room failed", e);
            stream.end(EventStream.Ending.RESET, "subscription failed, reconnect later");
        }
    }

    /**
     * How a connection whose session is not live ends: 1008 if it was signed out, 1013 (reconnect) if its home node did
     * not answer (a cluster), else 4401.
     */
    private EventStream.Ending gone(String token, Sessions.Lookup found) {
        if (found instanceof Sessions.Unavailable) {
            return EventStream.Ending.RESET;
        }
        return sessions.signedOut(token) ? EventStream.Ending.SIGNED_OUT : EventStream.Ending.SESSION_GONE;
    }

    private static String reason(EventStream.Ending ending) {
        return switch (ending) {
            case SIGNED_OUT -> SIGNED_OUT;
            case RESET -> SESSION_UNAVAILABLE;
            default -> NO_SESSION;
        };
    }

    private void gone(WsContext ctx) {
        EventStream stream = streams.remove(ctx.sessionId());
        if (stream != null) {
            stream.clientGone();
        }
    }
}
