package dev.loomlite.cluster.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loomlite.chat.HistoryPage;
import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.RoomInfo;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.chat.spi.RoomLog;
import dev.loomlite.chat.spi.RoomPosition;
import dev.loomlite.chat.spi.RoomRef;
import dev.loomlite.server.spi.ForwardedSend;
import dev.loomlite.server.spi.Forwarder;
import dev.loomlite.server.spi.HomeAnswer;
import dev.loomlite.server.spi.HomeUnavailableException;
import dev.loomlite.server.spi.InternalApi;
import dev.loomlite.server.spi.MessageCodec;
import dev.loomlite.server.spi.Relayed;
import dev.loomlite.server.spi.SessionEvent;
import dev.loomlite.server.spi.SessionHomes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * This node's client of the other nodes' internal API (docs/cluster-design.md §7): it forwards sends to their owners
 * ({@link Forwarder}), reads the history and ends of their rooms ({@link RoomLog}) and asks the homes of sessions
 * ({@link SessionHomes}). One {@link HttpClient} (HTTP/1.1, pooled keep-alive connections, requests on virtual
 * threads) for all of it.
 *
 * <p>Every failure is classified, never retried here (the client retries with the same client id):
 * <ul>
 * <li>a refused or timed-out connect, a 421, an owner's 503 {@code not-stored}, too many requests in flight: nothing
 *     was stored ({@link Relayed.Outcome#NOT_STORED});</li>
 * <li>a timeout after the request went out, a connection lost mid-exchange, an owner's 503 {@code unknown} or any other
 *     5xx: the send may be stored ({@link Relayed.Outcome#UNKNOWN}).</li>
 * </ul>
 * Bounds: connect 250 ms, a send 2 s, reads 1 s, session changes 2 s; at most 512 sends and 512 reads in flight per
 * owner. A killed owner refuses at once (503 in milliseconds); a stopped one (the kernel still accepts) costs the send
 * timeout.
 *
 * <pre>{@code
 * OwnerClient owners = new OwnerClient(placement, internalUris, token, events::publish);
 * Relayed answer = owners.send(shard, "general", send);
 * }</pre>
 *
 * Thread-safe: request threads, followers' threads, the probe.
 */
final class OwnerClient implements Forwarder, RoomLog, SessionHomes, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OwnerClient.class.getName());
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_IN_FLIGHT = 512;
    /** Session hashes or rooms per look-up request: 500 × at most ~110 bytes of JSON, under a body's 64 KiB. */
    static final int LOOKUP_BATCH = 500;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Placement placement;
    private final Map<String, URI> internal;
    private final String authorization;
    private final Consumer<SessionEvent> publisher;
    private final ExecutorService requests = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("loomlite-owner-client-", 0).factory());
    private final HttpClient http;
    // Per owner node: permits for sends and for reads in flight; created on first use.
    private final Map<String, Semaphore> sendPermits = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> readPermits = new ConcurrentHashMap<>();
    /** Forwards by how they ended, and failed reads: for /metrics; any thread writes, any reads. */
    final LongAdder forwardsAnswered = new LongAdder();
    final LongAdder forwardsNotStored = new LongAdder();
    final LongAdder forwardsUnknown = new LongAdder();
    final LongAdder readsFailed = new LongAdder();

    /**
     * @param placement which node owns each shard (and is the home of each session)
     * @param internal  every node's internal API base URI, by node id
     * @param token     the cluster token
     * @param publisher where session changes this node's sessions made are broadcast
     */
    OwnerClient(Placement placement, Map<String, URI> internal, String token, Consumer<SessionEvent> publisher) {
        this.placement = placement;
        this.internal = Map.copyOf(internal);
        this.authorization = "Bearer " + token;
        this.publisher = publisher;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .executor(requests).build();
    }

    // ---- Forwarder

    @Override
    public Relayed send(int shard, String roomId, ForwardedSend send) {
        String owner = placement.owner(shard);
        Semaphore permits = sendPermits.computeIfAbsent(owner, o -> new Semaphore(MAX_IN_FLIGHT));
        if (!permits.tryAcquire()) {
            forwardsNotStored.increment();
            return Relayed.notStored();
        }
        try {
            Long replyTo = send.replyToId().isPresent() ? send.replyToId().getAsLong() : null;
            byte[] body = JSON.writeValueAsBytes(new InternalApi.SendBody(send.authorId(), send.authorName(),
                    send.clientId(), send.content(), replyTo));
            HttpResponse<byte[]> response = http.send(request(owner, InternalApi.messages(shard, roomId), SEND_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return classify(response);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            forwardsNotStored.increment();
            return Relayed.notStored();
        } catch (IOException e) {
            // Timed out after the request went out, or the connection broke mid-exchange: it may be stored.
            forwardsUnknown.increment();
            return Relayed.unknown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forwardsUnknown.increment();
            return Relayed.unknown();
        } finally {
            permits.release();
        }
    }

    private Relayed classify(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String outcome = response.headers().firstValue(InternalApi.OUTCOME).orElse("");
        if (status == 421 || (status == 503 && outcome.equals(InternalApi.NOT_STORED))) {
            forwardsNotStored.increment();
            return Relayed.notStored();
        }
        if (status >= 500) {
            forwardsUnknown.increment();
            return Relayed.unknown();
        }
        forwardsAnswered.increment();
        long retryAfter = response.headers().firstValue("Retry-After").map(OwnerClient::seconds).orElse(0L);
        return new Relayed(status, response.body(), retryAfter, Relayed.Outcome.ANSWERED);
    }

    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    // ---- RoomLog

    @Override
    public HistoryPage read(int shard, String roomId, HistoryQuery query) {
        String q = switch (query.direction()) {
            case AFTER -> "?after=" + query.seq() + "&limit=" + query.limit();
            case BEFORE -> "?before=" + query.seq() + "&limit=" + query.limit();
            case LATEST -> "?limit=" + query.limit();
        };
        byte[] body = read(placement.owner(shard), InternalApi.messages(shard, roomId) + q, null);
        return MessageCodec.readPage(body);
    }

    @Override
    public RoomPosition position(int shard, String roomId, long clientEpoch) {
        List<RoomPosition.Named> ends = positionsOf(placement.owner(shard), List.of(new RoomRef(shard, roomId, clientEpoch)));
        if (ends.size() != 1) {
            throw unavailable(placement.owner(shard), "answered " + ends.size() + " positions for one room", null);
        }
        return ends.getFirst().position();
    }

    @Override
    public List<RoomPosition.Named> positions(List<RoomRef> rooms) {
        Map<String, List<RoomRef>> byOwner = new LinkedHashMap<>();
        rooms.forEach(r -> byOwner.computeIfAbsent(placement.owner(r.shard()), o -> new ArrayList<>()).add(r));
        List<RoomPosition.Named> out = new ArrayList<>(rooms.size());
        forEachOwner(byOwner, this::positionsOf, out::addAll);
        return out;
    }

    /** The ends of an owner's rooms, in requests of at most {@link #LOOKUP_BATCH} rooms (bodies under 64 KiB). */
    private List<RoomPosition.Named> positionsOf(String owner, List<RoomRef> rooms) {
        List<RoomPosition.Named> out = new ArrayList<>(rooms.size());
        for (int from = 0; from < rooms.size(); from += LOOKUP_BATCH) {
            InternalApi.PositionsRequest ask = new InternalApi.PositionsRequest(rooms
                    .subList(from, Math.min(rooms.size(), from + LOOKUP_BATCH)).stream()
                    .map(r -> new InternalApi.RoomRefBody(r.shard(), r.roomId(), r.clientEpoch())).toList());
            InternalApi.PositionsAnswer answer = parse(owner, read(owner, InternalApi.POSITIONS_ROUTE, ask),
                    InternalApi.PositionsAnswer.class);
            answer.positions().forEach(p -> out.add(new RoomPosition.Named(p.roomId(),
                    new RoomPosition(p.epoch(), p.lastSeq(), p.validThrough()))));
        }
        return out;
    }

    @Override
    public List<RoomInfo> rooms() {
        Map<String, List<String>> owners = new LinkedHashMap<>();
        for (int s = 0; s < placement.shards(); s++) {
            if (!placement.owns(s)) {
                owners.putIfAbsent(placement.owner(s), List.of());
            }
        }
        List<RoomInfo> out = new ArrayList<>();
        forEachOwner(owners, (owner, none) -> List.of(parse(owner, read(owner, InternalApi.ROOMS_ROUTE, null),
                InternalApi.RoomBody[].class)), answers -> {
                    for (InternalApi.RoomBody r : answers) {
                        out.add(new RoomInfo(r.roomId(), r.lastSeq()));
                    }
                });
        return out;
    }

    /** Asks every owner in parallel, each bounded by its request timeout; owners that fail are left out (logged). */
    private <T, R> void forEachOwner(Map<String, T> byOwner, OwnerCall<T, R> call, Consumer<List<R>> collect) {
        Map<String, Future<List<R>>> running = new HashMap<>();
        byOwner.forEach((owner, arg) -> running.put(owner, requests.submit(() -> call.call(owner, arg))));
        running.forEach((owner, future) -> {
            try {
                collect.accept(future.get(READ_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(true);
            } catch (Exception e) {
                future.cancel(true);
                LOG.log(System.Logger.Level.DEBUG, "node " + owner + " did not answer: " + e);
            }
        });
    }

    @FunctionalInterface
    private interface OwnerCall<T, R> {
        List<R> call(String owner, T arg);
    }

    /** A read (GET without a body, POST with one) of an owner; its body on 200. */
    private byte[] read(String owner, String path, Object body) {
        Semaphore permits = readPermits.computeIfAbsent(owner, o -> new Semaphore(MAX_IN_FLIGHT));
        if (!permits.tryAcquire()) {
            throw unavailable(owner, "too many reads in flight", null);
        }
        try {
            HttpRequest.Builder request = request(owner, path, READ_TIMEOUT);
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw unavailable(owner, "answered " + response.statusCode(), null);
            }
            return response.body();
        } catch (IOException e) {
            throw unavailable(owner, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(owner, "interrupted", e);
        } finally {
            permits.release();
        }
    }

    private <T> T parse(String owner, byte[] body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw unavailable(owner, "answered what is not a " + type.getSimpleName(), e);
        }
    }

    private OwnerUnavailableException unavailable(String owner, String why, Throwable cause) {
        readsFailed.increment();
        return new OwnerUnavailableException("the room's server (node " + owner + ") is unavailable: " + why
                + "; nothing was read", RETRY_AFTER, cause);
    }

    // ---- SessionHomes

    @Override
    public boolean isLocal(String tokenHash) {
        return placement.owns(home(tokenHash));
    }

    private int home(String tokenHash) {
        return Placement.shardOf(tokenHash, placement.shards());
    }

    @Override
    public Map<String, HomeAnswer> lookup(Collection<String> tokenHashes, boolean use) {
        Map<String, List<String>> byHome = new LinkedHashMap<>();
        tokenHashes.forEach(h -> byHome.computeIfAbsent(placement.owner(home(h)), o -> new ArrayList<>()).add(h));
        Map<String, HomeAnswer> out = new HashMap<>();
        forEachOwner(byHome, (home, hashes) -> {
            // In requests of at most LOOKUP_BATCH hashes: a request body stays far under the 64 KiB limit.
            List<Map<String, InternalApi.SessionState>> pages = new ArrayList<>();
            for (int from = 0; from < hashes.size(); from += LOOKUP_BATCH) {
                List<String> page = hashes.subList(from, Math.min(hashes.size(), from + LOOKUP_BATCH));
                pages.add(parse(home, read(home, InternalApi.SESSION_LOOKUP_ROUTE, new InternalApi.SessionLookup(page, use)),
                        InternalApi.SessionLookupAnswer.class).sessions());
            }
            return pages;
        }, answers -> answers.forEach(sessions -> sessions.forEach((hash, state) -> {
            HomeAnswer a = answer(state);
            if (a != null) {
                out.put(hash, a);
            }
        })));
        return out;
    }

    /** The answer a session state stands for; null for {@code not-home} (maps disagree: as if unreachable). */
    private static HomeAnswer answer(InternalApi.SessionState state) {
        return switch (state.state()) {
            case InternalApi.SessionState.ACTIVE -> new HomeAnswer.Active(state.userId(), state.name(),
                    state.leftMs() == null ? 0 : state.leftMs());
            case InternalApi.SessionState.EXPIRED -> new HomeAnswer.Expired(state.reason());
            case InternalApi.SessionState.REVOKED -> new HomeAnswer.Revoked();
            case InternalApi.SessionState.UNKNOWN -> new HomeAnswer.Unknown();
            default -> null;
        };
    }

    @Override
    public HomeAnswer create(String tokenHash, String userId, String name) {
        HttpResponse<byte[]> response = change(tokenHash, InternalApi.SESSIONS_ROUTE, "POST",
                new InternalApi.SessionCreate(tokenHash, userId, name));
        if (response.statusCode() != 201) {
            throw new HomeUnavailableException("the session's home answered " + response.statusCode(), false, null);
        }
        return active(tokenHash, response);
    }

    @Override
    public HomeAnswer rename(String tokenHash, String name) {
        HttpResponse<byte[]> response = change(tokenHash, InternalApi.sessionName(tokenHash), "POST",
                new InternalApi.SessionRename(name));
        return switch (response.statusCode()) {
            case 200 -> active(tokenHash, response);
            case 404 -> new HomeAnswer.Unknown();
            default -> throw new HomeUnavailableException("the session's home answered " + response.statusCode(), false,
                    null);
        };
    }

    @Override
    public HomeAnswer revoke(String tokenHash, String userId) {
        HttpResponse<byte[]> response = change(tokenHash, InternalApi.session(tokenHash) + "?userId="
                + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8), "DELETE", null);
        return switch (response.statusCode()) {
            case 204 -> new HomeAnswer.Revoked();
            case 404 -> new HomeAnswer.Unknown();
            case 409 -> new HomeAnswer.Conflict();
            default -> throw new HomeUnavailableException("the session's home answered " + response.statusCode(), false,
                    null);
        };
    }

    private HomeAnswer active(String tokenHash, HttpResponse<byte[]> response) {
        InternalApi.SessionUser user = parse(placement.owner(home(tokenHash)), response.body(), InternalApi.SessionUser.class);
        return new HomeAnswer.Active(user.userId(), user.name(), 0);
    }

    /** A session change at its home; 421 (maps disagree) and 5xx are "not done", transport failures as classified. */
    private HttpResponse<byte[]> change(String tokenHash, String path, String method, Object body) {
        String home = placement.owner(home(tokenHash));
        try {
            HttpRequest.Builder request = request(home, path, SESSION_TIMEOUT);
            request.header("Content-Type", "application/json").method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 421 || response.statusCode() >= 500) {
                throw new HomeUnavailableException("the session's home (node " + home + ") answered "
                        + response.statusCode(), response.statusCode() != 421, null);
            }
            return response;
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new HomeUnavailableException("the session's home (node " + home + ") is unreachable", false, e);
        } catch (HttpTimeoutException e) {
            throw new HomeUnavailableException("the session's home (node " + home + ") did not answer in time", true, e);
        } catch (IOException e) {
            throw new HomeUnavailableException("the session's home (node " + home + ") failed: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HomeUnavailableException("interrupted", true, e);
        }
    }

    @Override
    public void publish(SessionEvent event) {
        publisher.accept(event);
    }

    private HttpRequest.Builder request(String node, String path, Duration timeout) {
        URI base = internal.get(node);
        if (base == null) {
            throw new IllegalStateException("node " + node + " has no internal address in the map");
        }
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Authorization", authorization)
                .header(InternalApi.MAP_VERSION, Long.toString(placement.mapVersion()))
                .header(InternalApi.NODE, placement.nodeId());
    }

    @Override
    public void close() {
        http.close();
        requests.close();
    }
}
