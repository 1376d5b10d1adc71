package dev.loomlite.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket event stream of one room on one node: the seqs it received and how it closed. */
final class RoomSubscriber implements WebSocket.Listener, AutoCloseable {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final String name;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private RoomSubscriber(String name) {
        this.name = name;
    }

    static RoomSubscriber open(NodeProcess node, NodeUser user, String room) throws Exception {
        return open(node, user, room, 0);
    }

    /** A stream of the messages after {@code after}: a client reconnecting with its cursor. */
    static RoomSubscriber open(NodeProcess node, NodeUser user, String room, long after) throws Exception {
        RoomSubscriber s = new RoomSubscriber(room + "@" + node.id);
        URI uri = URI.create("ws://127.0.0.1:" + node.port + "/api/rooms/" + room + "/events?after=" + after + "&epoch=1");
        s.socket = NodeUser.HTTP.newWebSocketBuilder().header("Cookie", user.cookie).buildAsync(uri, s)
                .get(10, TimeUnit.SECONDS);
        return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            JsonNode frame;
            try {
                frame = ClusterIT.JSON.readTree(partial.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            partial.setLength(0);
            if (frame.has("message")) {
                seqs.add(frame.path("message").path("seq").asLong());
            }
            frame.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed.complete(code + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete("error " + error);
    }

    @Override
    public void close() {
        socket.abort();
    }

    @Override
    public String toString() {
        return "subscriber " + name;
    }
}
