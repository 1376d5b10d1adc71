package dev.loomlite.server.internal;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP request counts by route, method and status, and a latency histogram by route and method. Labels come
 * from the matched route pattern ({@code /api/rooms/{roomId}/messages}), never the raw path, so the number of
 * series stays bounded whatever clients request.
 *
 * <p>Written by request threads through Javalin's request logger, read by {@code /metrics}; adders make both
 * lock-free.
 */
final class HttpMetrics {
    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    record Route(String route, String method) implements Comparable<Route> {
        @Override
        public int compareTo(Route o) {
            int c = route.compareTo(o.route);
            return c != 0 ? c : method.compareTo(o.method);
        }
    }

    record Outcome(Route route, int status) implements Comparable<Outcome> {
        @Override
        public int compareTo(Outcome o) {
            int c = route.compareTo(o.route);
            return c != 0 ? c : Integer.compare(status, o.status);
        }
    }

    /** Cumulative buckets (Prometheus {@code le} semantics are applied when written). */
    static final class Latency {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final DoubleAdder sumSeconds = new DoubleAdder();

        Latency() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sumSeconds.add(seconds);
        }
    }

    private final ConcurrentHashMap<Outcome, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Route, Latency> latencies = new ConcurrentHashMap<>();

    /** Javalin's request logger: called once per HTTP request after the response is written. */
    void record(Context ctx, Float millis) {
        Route route = new Route(routeOf(ctx), methodOf(ctx));
        requests.computeIfAbsent(new Outcome(route, ctx.statusCode()), k -> new LongAdder()).increment();
        latencies.computeIfAbsent(route, k -> new Latency()).record(millis == null ? 0 : millis / 1000.0);
    }

    Map<Outcome, Long> requests() {
        Map<Outcome, Long> copy = new TreeMap<>();
        requests.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    Map<Route, Latency> latencies() {
        return new TreeMap<>(latencies);
    }

    private static String routeOf(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoint();
            // Error handlers and static files match "*": a pattern, but not a route.
            if (endpoint != null && endpoint.path != null && endpoint.path.startsWith("/")) {
                return endpoint.path;
            }
        } catch (RuntimeException noEndpoint) {
            // Static files and unmatched paths have no endpoint.
        }
        return ctx.statusCode() == 404 ? "unmatched" : "static";
    }

    private static String methodOf(Context ctx) {
        String method = ctx.req().getMethod();
        return METHODS.contains(method) ? method : "OTHER";
    }
}
