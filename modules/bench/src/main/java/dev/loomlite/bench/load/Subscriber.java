package dev.loomlite.bench.load;

import java.net.HttpCookie;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * One WebSocket subscriber of a room, like a browser tab: the session cookie, an {@code Origin} equal to the
 * server's, {@code permessage-deflate} offered unless compression is off. It checks every message it gets
 * against the last: the next seq must be the last plus one (else a duplicate or a gap is counted), and it keeps a
 * fingerprint of (seq, client id) over what it got, compared at the end with the room's history. After a
 * {@code reset} and close (or any close but a sign-out) it reconnects with {@code after=<last seq>&epoch=<epoch>}.
 *
 * <p>Epochs: it keeps the highest epoch it has seen (from 1). A message of a higher epoch means the room's history
 * was replaced after what it holds, and a {@code resync} frame (or a close with 4409) that its cursor is past what
 * the room keeps: either way it stops reading that connection, reloads the room from its history (as the page
 * does: what it holds is dropped, its last seq and fingerprint are the history's from the run's start) and
 * reconnects from there, counting an epoch change. No room's epoch changes in a run on one node, so the verifier
 * reports any.
 *
 * <p>Threads: frames arrive on Jetty's threads, one callback at a time per connection, and a new connection is
 * opened (after a reload, if one is due) only after the previous one ended, so the counters and the epoch have one
 * writer at a time; the verifier reads them after {@link #close()}.
 */
final class Subscriber implements FrameScanner.Sink {
    /** Reads one page of the room's history after a seq into a sink, as {@link Api#history} does; returns hasMore. */
    interface History {
        boolean page(long after, FrameScanner scanner, FrameScanner.Sink sink);
    }

    private final WebSocketClient client;
    private final URI events;
    private final String origin;
    private final String cookie;
    private final boolean compression;
    private final Timeline timeline;
    private final LoadIds ids;
    private final History history;
    /** Whether this subscriber's node owns the room: which latency split its deliveries go to. */
    private final Nodes.Locality locality;
    /** The room's last seq before the run: where the fingerprint, and a reload, begin. */
    private final long startSeq;
    private final FrameScanner scanner = new FrameScanner();
    // Used by the connection's callback thread only (see the class comment).
    private final ByteChars bytes = new ByteChars();
    private ByteBuffer partial = ByteBuffer.allocate(0);
    private final CountDownLatch ended = new CountDownLatch(1);

    // Written by the current connection's callback thread (see the class comment); read by the verifier.
    private volatile long lastSeq;
    private long fingerprint;
    private long received;
    private long duplicates;
    private long gaps;
    private long malformed;
    private long resets;
    private long frameNanos;
    private long epoch = 1;
    private long epochChanges;
    // Also read by the reconnecting thread (a reload is due) and the verifier (the last change, for its message).
    private volatile boolean mustReload;
    private volatile String epochChange;
    // Written by connect/close paths (any thread), read by the verifier and the progress line.
    private volatile int reconnects;
    private volatile String failure;
    private volatile boolean stopping;
    private volatile Session session;
    // Written when a connection opens, read by the summary: whether the server accepted permessage-deflate.
    private volatile boolean deflate;

    Subscriber(WebSocketClient client, URI base, String room, long afterSeq, String cookie, boolean compression,
               Timeline timeline, LoadIds ids, History history) {
        this(client, base, room, afterSeq, cookie, compression, timeline, ids, history, Nodes.Locality.UNKNOWN);
    }

    /** @param locality whether the node at {@code base} owns the room, for the same-node / cross-node split */
    Subscriber(WebSocketClient client, URI base, String room, long afterSeq, String cookie, boolean compression,
               Timeline timeline, LoadIds ids, History history, Nodes.Locality locality) {
        this.client = client;
        this.locality = locality;
        String b = base.toString().replaceFirst("^http", "ws");
        this.events = URI.create((b.endsWith("/") ? b : b + "/") + "api/rooms/" + room + "/events");
        this.origin = base.getScheme() + "://" + base.getRawAuthority();
        this.cookie = cookie;
        this.compression = compression;
        this.timeline = timeline;
        this.ids = ids;
        this.history = history;
        this.startSeq = afterSeq;
        this.lastSeq = afterSeq;
    }

    /**
     * Opens the first connection, trying again after a refusal (a 503 while a node starts, or while a session's home
     * node is slow to answer), backing off from 50 ms to 2 s as a browser's page does; throws when no attempt
     * succeeded within {@code timeout}.
     */
    void open(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoffMillis = 50;
        while (true) {
            Exception failed;
            try {
                connect().get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                        TimeUnit.MILLISECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while subscribing to " + events, e);
            } catch (Exception e) {
                failed = e;
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis) >= deadline) {
                throw new IllegalStateException("could not subscribe to " + events + " within " + timeout.toMillis()
                        + " ms: " + failed, failed);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
            backoffMillis = Math.min(2000, backoffMillis * 2);
        }
    }

    private java.util.concurrent.CompletableFuture<Session> connect() throws java.io.IOException {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        request.setHeader("Origin", origin);
        int eq = cookie.indexOf('=');
        request.setCookies(List.of(new HttpCookie(cookie.substring(0, eq), cookie.substring(eq + 1))));
        if (compression) {
            request.addExtensions("permessage-deflate; client_max_window_bits");
        }
        return client.connect(new WsConnection(this), URI.create(events + "?after=" + lastSeq + "&epoch=" + epoch), request);
    }

    /** Reconnects after a close (reloading first when due), backing off from 50 ms to 2 s, until it works or the run stops. */
    private void reconnect() {
        long backoff = 50;
        while (!stopping) {
            try {
                if (mustReload) {
                    reload();
                }
                connect().get(10, TimeUnit.SECONDS);
                reconnects++;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failure = "reconnect failed: " + e;
                Api.sleep(Duration.ofMillis(backoff));
                backoff = Math.min(2000, backoff * 2);
            }
        }
    }

    /**
     * Reads the room's history after the run's start again and takes it as what this subscriber received: its last
     * seq, its fingerprint and (if higher) its epoch. Called between connections; throws when a page cannot be read.
     */
    void reload() {
        Reloaded h = new Reloaded(startSeq);
        FrameScanner pages = new FrameScanner();
        long after = startSeq;
        while (history.page(after, pages, h) && h.last > after) {
            after = h.last;
        }
        lastSeq = h.last;
        fingerprint = h.fingerprint;
        epoch = Math.max(epoch, h.epoch);
        mustReload = false;
    }

    /**
     * What this subscriber holds is no longer the room's history: it reads nothing more of this connection and
     * reloads before the next. Counted once per reload; {@code newEpoch} is the one to reconnect with.
     */
    private void replaced(String why, long newEpoch) {
        if (!mustReload) {
            epochChanges++;
            epochChange = why + ", epoch " + epoch + " -> " + newEpoch;
            mustReload = true;
        }
        epoch = newEpoch;
    }

    @Override
    public void message(long seq, long messageEpoch, CharSequence text, int idStart, int idEnd) {
        if (mustReload) {
            return; // the rest of a frame or connection from before the replacement: the reload reads it
        }
        if (messageEpoch > epoch) {
            replaced("message seq " + seq + " after seq " + lastSeq, messageEpoch);
            Session s = session;
            if (s != null) {
                s.close(1000, "history replaced: reloading", Callback.NOOP);
            }
            return;
        }
        long last = lastSeq;
        if (seq <= last) {
            duplicates++;
            return;
        }
        if (seq != last + 1) {
            gaps++;
        }
        lastSeq = seq;
        received++;
        fingerprint += LoadIds.fingerprint(seq, LoadIds.hash(text, idStart, idEnd));
        long sent = ids.sentNanos(text, idStart, idEnd);
        if (sent >= 0) {
            timeline.delivery(frameNanos, frameNanos - sent, locality);
        } else {
            timeline.foreignDelivery(frameNanos);
        }
    }

    private void text(CharSequence frame) {
        frameNanos = System.nanoTime();
        try {
            scanner.scan(frame, this);
            if (scanner.reset()) {
                resets++;
            } else if (scanner.resync()) {
                replaced("resync frame after seq " + lastSeq + " (" + scanner.reason() + ")", scanner.epoch()); // 4409 follows
            }
        } catch (IllegalArgumentException e) {
            malformed++;
            failure = e.getMessage() + ": " + frame.subSequence(0, Math.min(frame.length(), 200));
        }
    }

    /** Closes the connection and stops reconnecting; waits up to {@code timeout} for the close. */
    void close(Duration timeout) {
        stopping = true;
        Session s = session;
        if (s != null) {
            s.close(1000, "load run over", Callback.NOOP);
            try {
                ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    long fingerprint() {
        return fingerprint;
    }

    long received() {
        return received;
    }

    long duplicates() {
        return duplicates;
    }

    long gaps() {
        return gaps;
    }

    long malformed() {
        return malformed;
    }

    long resets() {
        return resets;
    }

    /** Reloads of the room because of a higher epoch or a resync (each a verdict failure while epochs stay 1). */
    long epochChanges() {
        return epochChanges;
    }

    /** What caused the last epoch change and the epochs before and after it; null when there was none. */
    String epochChange() {
        return epochChange;
    }

    /** The epoch this subscriber connects with: the highest it has seen, or a resync frame's. */
    long epoch() {
        return epoch;
    }

    int reconnects() {
        return reconnects;
    }

    /** Whether the server accepted permessage-deflate on the last connection. */
    boolean deflate() {
        return deflate;
    }

    /** Whether the server ended the subscription for good (its session was signed out). */
    boolean signedOut() {
        String f = failure;
        return f != null && f.startsWith("signed out");
    }

    /** Why the subscriber stopped for good or last failed to reconnect, if it did. */
    String failure() {
        return failure;
    }

    /** What a {@link WsConnection} reports to its subscriber. */
    void opened(Session s) {
        session = s;
        deflate = s.getUpgradeResponse().getExtensions().stream().anyMatch(e -> "permessage-deflate".equals(e.getName()));
        if (stopping) {
            s.close(1000, "load run over", Callback.NOOP);
        }
    }

    void failed(Throwable cause) {
        if (!stopping) {
            failure = "connection error: " + cause;
        }
    }

    void ended(int code, String reason) {
        session = null;
        if (stopping) {
            ended.countDown();
        } else if (code == 1008) {
            failure = "signed out by the server (1008 " + reason + ")";
            ended.countDown();
        } else {
            if (code == 4409) {
                replaced("close 4409 (" + reason + ") after seq " + lastSeq, epoch); // the resync frame was lost
            }
            Thread.ofVirtual().name("load-resubscribe").start(this::reconnect);
        }
    }

    /**
     * One data frame's payload (already inflated), scanned as bytes without decoding it to a String; a message in
     * several frames is gathered first.
     */
    void frame(ByteBuffer payload, boolean fin) {
        if (!fin || partial.position() > 0) {
            if (partial.remaining() < payload.remaining()) {
                partial = ByteBuffer.allocate(Math.max(partial.capacity() * 2, partial.position() + payload.remaining()))
                        .put(partial.flip());
            }
            partial.put(payload);
            if (!fin) {
                return;
            }
            text(bytes.wrap(partial.flip()));
            partial.clear();
            return;
        }
        text(bytes.wrap(payload));
    }

    /** The room's history as a reload reads it: the last seq, the fingerprint from the run's start, the highest epoch. */
    private static final class Reloaded implements FrameScanner.Sink {
        long last;
        long fingerprint;
        long epoch = 1;

        Reloaded(long start) {
            this.last = start;
        }

        @Override
        public void message(long seq, long epoch, CharSequence text, int idStart, int idEnd) {
            last = seq;
            fingerprint += LoadIds.fingerprint(seq, LoadIds.hash(text, idStart, idEnd));
            this.epoch = Math.max(this.epoch, epoch);
        }
    }
}
