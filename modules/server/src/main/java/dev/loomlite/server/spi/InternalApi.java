package dev.loomlite.server.spi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The internal routes between nodes (docs/cluster-design.md §7.1): paths, headers and bodies, one definition for the
 * server that answers them and the cluster module that calls them (Jackson reads and writes the records).
 *
 * <pre>{@code
 * URI uri = owner.resolve(InternalApi.messages(5, "general"));
 * request.header(InternalApi.MAP_VERSION, "3").header("Authorization", "Bearer " + token);
 * }</pre>
 */
public final class InternalApi {
    /** Every internal path starts with this; none is served on the public connector. */
    public static final String PREFIX = "/internal/v1";
    /** The caller's shard map version (required). */
    public static final String MAP_VERSION = "Loomlite-Map-Version";
    /** The calling node's id. */
    public static final String NODE = "Loomlite-Node";
    /** On a 503: {@link #NOT_STORED} or {@link #UNKNOWN}. */
    public static final String OUTCOME = "Loomlite-Outcome";
    public static final String NOT_STORED = "not-stored";
    public static final String UNKNOWN = "unknown";
    /** Routes as Javalin declares them. */
    public static final String MESSAGES_ROUTE = PREFIX + "/shards/{shard}/rooms/{roomId}/messages";
    public static final String POSITIONS_ROUTE = PREFIX + "/positions";
    public static final String ROOMS_ROUTE = PREFIX + "/rooms";
    public static final String SESSIONS_ROUTE = PREFIX + "/sessions";
    public static final String SESSION_LOOKUP_ROUTE = PREFIX + "/sessions/lookup";
    public static final String SESSION_ROUTE = PREFIX + "/sessions/{hash}";
    public static final String SESSION_NAME_ROUTE = PREFIX + "/sessions/{hash}/name";

    private InternalApi() {
    }

    /** {@code POST} {@link #MESSAGES_ROUTE}: a send as the gateway forwards it (the author from its session). */
    @JsonPropertyOrder({"authorId", "authorName", "clientId", "content", "replyToId"})
    public record SendBody(String authorId, String authorName, String clientId, String content, Long replyToId) {
    }

    /** {@code POST} {@link #POSITIONS_ROUTE}. */
    public record PositionsRequest(List<RoomRefBody> rooms) {
    }

    /** One room of a {@link PositionsRequest}, with the epoch of the asker's cursor. */
    @JsonPropertyOrder({"shard", "roomId", "epoch"})
    public record RoomRefBody(int shard, String roomId, long epoch) {
    }

    /** The answer to a {@link PositionsRequest}, in the order asked. */
    public record PositionsAnswer(List<PositionBody> positions) {
    }

    /** One room's end: {@code RoomPosition} with its room. */
    @JsonPropertyOrder({"roomId", "epoch", "lastSeq", "validThrough"})
    public record PositionBody(String roomId, long epoch, long lastSeq, long validThrough) {
    }

    /** One entry of {@code GET} {@link #ROOMS_ROUTE}: a room of the answering owner's shards. */
    @JsonPropertyOrder({"roomId", "lastSeq"})
    public record RoomBody(String roomId, long lastSeq) {
    }

    /** {@code POST} {@link #SESSION_LOOKUP_ROUTE}: what the home says of these sessions; {@code use} renews them. */
    public record SessionLookup(List<String> tokenHashes, boolean use) {
    }

    /** The answer to a {@link SessionLookup}, by token hash. */
    public record SessionLookupAnswer(Map<String, SessionState> sessions) {
    }

    /**
     * One session as its home sees it: {@code state} is {@code active} (with {@code userId}, {@code name},
     * {@code leftMs}), {@code expired} (with {@code reason}), {@code revoked}, {@code unknown}, or {@code not-home}
     * (the asked node is not its home under its map).
     */
    @JsonPropertyOrder({"state", "userId", "name", "leftMs", "reason"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SessionState(String state, String userId, String name, Long leftMs, String reason) {
        public static final String ACTIVE = "active";
        public static final String EXPIRED = "expired";
        public static final String REVOKED = "revoked";
        public static final String UNKNOWN = "unknown";
        public static final String NOT_HOME = "not-home";

        public static SessionState of(String state) {
            return new SessionState(state, null, null, null, null);
        }
    }

    /** {@code POST} {@link #SESSIONS_ROUTE}: the home stores a session a gateway signed in. */
    @JsonPropertyOrder({"tokenHash", "userId", "name"})
    public record SessionCreate(String tokenHash, String userId, String name) {
    }

    /** {@code POST} {@link #SESSION_NAME_ROUTE}. */
    public record SessionRename(String name) {
    }

    /** The user of a session, as {@code POST /api/session} answers it. */
    @JsonPropertyOrder({"userId", "name"})
    public record SessionUser(String userId, String name) {
    }

    /** The 421 of a node that does not own the shard asked for: nothing was done. */
    @JsonPropertyOrder({"error", "mapVersion"})
    public record Misdirected(String error, long mapVersion) {
    }

    /** A session's route: {@code DELETE ?userId=U} signs it out at its home. */
    public static String session(String tokenHash) {
        return PREFIX + "/sessions/" + tokenHash;
    }

    /** A session's name: {@code POST} renames it at its home. */
    public static String sessionName(String tokenHash) {
        return PREFIX + "/sessions/" + tokenHash + "/name";
    }

    /** The messages route of one room: {@code POST} a forwarded send, {@code GET} history. */
    public static String messages(int shard, String roomId) {
        return PREFIX + "/shards/" + shard + "/rooms/" + roomId + "/messages";
    }
}
