package dev.loomlite.cluster.internal;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that sends to several rooms in turn through every node, as the page's outbox does: a send that gets a 503
 * or no answer is sent again with the same client id, through the next node, after a short back-off, until an owner
 * answers 201 or 200. Records, per room, the client ids acknowledged, in order.
 *
 * <pre>{@code
 * RetryingSender sender = new RetryingSender(cluster, user, rooms);
 * Thread.ofVirtual().start(sender); ... sender.stop();
 * }</pre>
 */
final class RetryingSender implements Runnable {
    private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ThreeNodes cluster;
    private final NodeUser user;
    private final List<String> rooms;
    // Written by the sender thread; read by the test after stop() and join.
    private final Map<String, List<String>> acked = new LinkedHashMap<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stopping;

    RetryingSender(ThreeNodes cluster, NodeUser user, List<String> rooms) {
        this.cluster = cluster;
        this.user = user;
        this.rooms = rooms;
        rooms.forEach(r -> acked.put(r, new ArrayList<>()));
    }

    @Override
    public void run() {
        int gateway = 0;
        for (long n = 1; !stopping; n++) {
            String room = rooms.get((int) (n % rooms.size()));
            String clientId = "t9-" + n;
            while (true) {
                gateway = (gateway + 1) % 3;
                HttpResponse<String> answer;
                try {
                    answer = user.send(cluster.node(gateway), room, clientId, "message " + n);
                } catch (UncheckedIOException e) {
                    LockSupport.parkNanos(BACKOFF_NANOS); // that node is down: the next one
                    continue;
                }
                int status = answer.statusCode();
                if (status == 201 || status == 200) {
                    acked.get(room).add(clientId);
                    count.incrementAndGet();
                    break;
                }
                if (status != 503) {
                    failure.compareAndSet(null, "send " + clientId + " answered " + status + ": " + answer.body());
                    return;
                }
                LockSupport.parkNanos(BACKOFF_NANOS);
            }
        }
    }

    void stop() {
        stopping = true;
    }

    long acked() {
        return count.get();
    }

    List<String> acked(String room) {
        return List.copyOf(acked.get(room));
    }

    String failure() {
        return failure.get();
    }
}
