package dev.loomlite.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loomlite.server.spi.SessionEvent;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Session changes between nodes (docs/cluster-design.md §9) over core NATS on {@value #SUBJECT}: a home publishes a
 * sign-out or rename of its sessions, every node hears it on the {@value #DISPATCHER} dispatcher. At most once: a lost
 * event costs at most the session cache's lifetime. Test hook: {@code -Dloomlite.test.dropSessionBroadcasts=true}
 * drops every broadcast before it is published.
 *
 * <pre>{@code
 * SessionBus bus = new SessionBus(link, "n1");
 * bus.listen(event -> ...);      // once the server is up
 * bus.publish(new SessionEvent(SessionEvent.Kind.REVOKED, hash, userId, "n1"));
 * }</pre>
 */
final class SessionBus {
    private static final System.Logger LOG = System.getLogger(SessionBus.class.getName());
    static final String SUBJECT = "loomlite.session";
    static final String DISPATCHER = "loomlite-nats-sessions";
    static final String DROP_HOOK = "loomlite.test.dropSessionBroadcasts";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NatsLink link;
    private final String node;
    private final boolean dropAll;

    SessionBus(NatsLink link, String node) {
        this.link = link;
        this.node = node;
        this.dropAll = Boolean.getBoolean(DROP_HOOK);
        if (dropAll) {
            LOG.log(System.Logger.Level.WARNING, "test hook " + DROP_HOOK + " is set: node " + node
                    + " broadcasts no session change");
        }
    }

    /** Delivers every other node's session events to {@code handler}, on the dispatcher's thread. */
    void listen(Consumer<SessionEvent> handler) {
        link.subscribe(DISPATCHER, SUBJECT, msg -> {
            SessionEvent event = read(msg.getData());
            if (event != null && !event.node().equals(node)) {
                handler.accept(event);
            }
        });
    }

    /** Best effort: a broker outage or a full queue loses the event (counted by the link), never blocks. */
    void publish(SessionEvent event) {
        if (dropAll) {
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("v", 1).put("kind", event.kind().name().toLowerCase(Locale.ROOT))
                .put("tokenHash", event.tokenHash()).put("userId", event.userId()).put("node", event.node());
        try {
            link.publish(SUBJECT, JSON.writeValueAsBytes(body));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "a session broadcast was lost: " + e);
        }
    }

    private static SessionEvent read(byte[] data) {
        try {
            JsonNode n = JSON.readTree(data);
            if (n.path("v").asInt() != 1) {
                return null;
            }
            return new SessionEvent(SessionEvent.Kind.valueOf(n.path("kind").asText().toUpperCase(Locale.ROOT)),
                    n.path("tokenHash").asText(), n.path("userId").asText(), n.path("node").asText());
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "a malformed session broadcast was dropped: " + e);
            return null;
        }
    }
}
