package dev.loomlite.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket listener that collects whole text frames as JSON and records how the connection ended. A
 * {@code messages} frame (several messages at once) is received as one {@code message} frame per message, in order,
 * and counted in {@link #batchFrames}. It asks
 * for {@code initialDemand} frames up front and for one more after each, unless the demand is bounded (a
 * slow client): then {@link #request(long)} releases more.
 */
final class Frames implements WebSocket.Listener {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    /** Completes with "code reason" when the server closes, or exceptionally on error. */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    /** {@code messages} frames received (each carried several messages). */
    final AtomicInteger batchFrames = new AtomicInteger();
    private final boolean unbounded;
    private final long initialDemand;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    Frames(long initialDemand) {
        this.initialDemand = initialDemand;
        this.unbounded = initialDemand == Long.MAX_VALUE;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(unbounded ? Long.MAX_VALUE : initialDemand);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode frame = Client.JSON.readTree(partial.toString());
                if ("messages".equals(frame.path("type").asText())) {
                    batchFrames.incrementAndGet();
                    frame.path("messages").forEach(m -> received.add(Client.JSON.createObjectNode()
                            .put("type", "message").set("message", m)));
                } else {
                    received.add(frame);
                }
            } catch (IOException e) {
                closed.completeExceptionally(e);
            }
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    void request(long n) {
        socket.request(n);
    }

    void abort() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }

    /** The next frame, or fails after {@link Client#TIMEOUT}. */
    JsonNode next() throws InterruptedException {
        JsonNode frame = received.poll(Client.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + Client.TIMEOUT + (closed.isDone() ? "; closed: " + closed.getNow("?") : ""));
        }
        return frame;
    }

    /** The seqs of the next {@code n} message frames. */
    List<Long> nextSeqs(int n) throws InterruptedException {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode frame = next();
            if (!"message".equals(frame.path("type").asText())) {
                throw new AssertionError("expected a message frame, got " + frame);
            }
            seqs.add(frame.path("message").path("seq").asLong());
        }
        return seqs;
    }
}
