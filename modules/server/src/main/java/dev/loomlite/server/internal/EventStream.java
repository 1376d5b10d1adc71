package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatListener;
import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.Subscription;
import io.javalin.websocket.WsContext;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;

/**
 * One WebSocket subscriber of a room: the {@link ChatListener} of its subscription, writing what each commit
 * (or history page) brings as one frame of up to {@link #MAX_FRAME_MESSAGES} messages and waiting until the frame
 * has left (so a slow client slows only its own subscription, whose bounded buffer then overflows and ends it).
 * Frames of one connection are never sent concurrently: every send (messages, the final reset, pings) holds
 * {@link #sending}. A frame that cannot leave in time ends the stream before {@link #onMessages} returns, so the
 * subscription's cursor never moves past a message the client did not get.
 *
 * <p>It ends exactly once, whoever notices first: the chat service (too slow, closing), a send that timed
 * out, the server stopping, or the client leaving. Ending sends {@code {"type":"reset","reason"}} when the
 * server ends it, then closes the connection and the subscription; a connection whose close handshake has not
 * completed within {@link #CLOSE_GRACE} (a peer that reads nothing more) is dropped then.
 */
final class EventStream implements ChatListener {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());
    private static final Duration RESET_TIMEOUT = Duration.ofSeconds(1);
    /** How long the close handshake of a stream the server ended may take before the connection is dropped. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** WebSocket close reasons are limited to 123 bytes of UTF-8. */
    private static final int MAX_CLOSE_REASON = 120;
    /** Messages in one frame at most: a catch-up page of 500 leaves as a few frames of moderate size. */
    static final int MAX_FRAME_MESSAGES = 128;

    /**
     * Close codes: 1001 the server is going away, 1013 try again later (reconnect with the last seq), 1008 the
     * session was signed out (reconnecting needs a new sign-in, which is the user's call), 4401 the connection has
     * no valid session, e.g. it expired between the upgrade and the connect (like an HTTP 401: sign in again and
     * reconnect). 4401 is an application code (4000-4999), so that a client never takes it for a sign-out. 4409 the
     * client's cursor is past the room's end (after a {@code resync} frame): drop what it holds above the room's
     * last seq, reload, reconnect.
     */
    enum Ending {
        SHUTDOWN(1001), RESET(1013), SIGNED_OUT(1008), SESSION_GONE(4401), RESYNC(4409), CLIENT_GONE(1000);

        final int code;

        Ending(int code) {
            this.code = code;
        }
    }

    private final WsContext ws;
    private final EventFrames frames;
    private final String userId;
    // The SHA-256 of the session token the stream was opened with: a cluster node revalidates remote sessions by it.
    private final String sessionHash;
    private final Gate gate;
    private final Duration sendTimeout;
    private final Runnable onEnded;
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Written once by the connecting thread after subscribing; read by whichever thread ends the stream. */
    private volatile Subscription subscription;

    EventStream(WsContext ws, EventFrames frames, String userId, String sessionHash, Gate gate, Duration sendTimeout,
            Runnable onEnded) {
        this.sessionHash = sessionHash;
        this.ws = ws;
        this.frames = frames;
        this.userId = userId;
        this.gate = gate;
        this.sendTimeout = sendTimeout;
        this.onEnded = onEnded;
    }

    /** Attaches the subscription; if the stream already ended meanwhile, closes it at once. */
    void attach(Subscription s) {
        subscription = s;
        if (ended.get()) {
            s.close();
        }
    }

    /** The user whose session opened the stream. */
    String userId() {
        return userId;
    }

    String sessionHash() {
        return sessionHash;
    }

    boolean isEnded() {
        return ended.get();
    }

    /** Called by the subscription's delivery thread, in seq order. */
    @Override
    public void onMessage(ChatMessage message) {
        onMessages(List.of(message));
    }

    /** Called by the subscription's delivery thread, in seq order: frames of up to {@link #MAX_FRAME_MESSAGES}. */
    @Override
    public void onMessages(List<ChatMessage> messages) {
        for (int from = 0; from < messages.size(); from += MAX_FRAME_MESSAGES) {
            List<ChatMessage> part = messages.subList(from, Math.min(messages.size(), from + MAX_FRAME_MESSAGES));
            if (ended.get() || !send(frames.frame(part), sendTimeout)) {
                end(Ending.RESET, "too slow: messages could not be delivered within " + sendTimeout.toMillis() + " ms");
                // Closed from this (the delivery) thread, so the subscription's cursor stays before these messages,
                // also when another thread ended the stream first (sign-out, shutdown, the client left).
                unsubscribe();
                return;
            }
        }
    }

    /** The chat service ended the subscription (too far behind, or closing). */
    @Override
    public void onClosed(String reason) {
        end(gate.isUp() ? Ending.RESET : Ending.SHUTDOWN, reason);
    }

    /** Ends the stream from the server's side: reset frame, close frame, unsubscribe. Idempotent. */
    void end(Ending ending, String reason) {
        endWith(ending, reason, Json.write(Wire.ResetFrame.of(reason)));
    }

    /**
     * The client's cursor is past what it may keep of the room (a restore, commits lost to a power loss, a history
     * replaced from a later epoch on): a {@code resync} frame with the seq to keep up to and the room's epoch, then
     * close 4409. Nothing was subscribed.
     */
    void resync(long lastSeq, long epoch, String reason) {
        endWith(Ending.RESYNC, reason, Json.write(Wire.ResyncFrame.of(lastSeq, epoch, reason)));
    }

    private void endWith(Ending ending, String reason, String lastFrame) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        unsubscribe();
        if (ending != Ending.CLIENT_GONE && ws.session.isOpen()) {
            send(lastFrame, RESET_TIMEOUT);
            // A peer that takes no more bytes (it stopped reading, or vanished) never gets the close frame, queued
            // behind the unsent ones, and cannot answer it: without a short idle timeout its connection, and what was
            // queued for it, would stay until the long one. A peer that reads closes normally within it.
            ws.session.setIdleTimeout(CLOSE_GRACE);
            ws.closeSession(ending.code, truncate(reason));
        }
        onEnded.run();
    }

    /** The client closed the connection or it failed: just let go. */
    void clientGone() {
        end(Ending.CLIENT_GONE, "client closed");
    }

    /** Keeps idle connections alive; skipped when a frame is being written anyway. */
    void ping() {
        if (ended.get() || !sending.tryLock()) {
            return;
        }
        try {
            ws.session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        } finally {
            sending.unlock();
        }
    }

    private void unsubscribe() {
        Subscription s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "closing a subscription failed", e);
            }
        }
    }

    /** Writes one text frame and waits until it has left; false if it could not within {@code timeout}. */
    private boolean send(String text, Duration timeout) {
        try {
            if (!sending.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            try {
                Callback.Completable sent = new Callback.Completable();
                ws.session.sendText(text, sent);
                sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return true;
            } finally {
                sending.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_CLOSE_REASON) {
            return reason;
        }
        String cut = new String(bytes, 0, MAX_CLOSE_REASON, StandardCharsets.UTF_8);
        // A multi-byte character cut in half decodes to U+FFFD (3 bytes): drop it.
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }
}
