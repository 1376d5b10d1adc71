package dev.loomlite.server.internal;

import dev.loomlite.chat.ChatMetrics;
import dev.loomlite.chat.ChatService;
import dev.loomlite.sqlite.PoolMetrics;
import dev.loomlite.sqlite.SqlitePool;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics} in Prometheus text format: the pool's lanes (queue depth, completed, failed, rejected,
 * timed out, wait and execution time), group-commit batch sizes and checkpoints, the chat pipeline's counters,
 * HTTP requests and latencies, and WebSocket subscribers. Times are in seconds. Who may read it is
 * {@link MetricsAccess}'s decision.
 */
final class MetricsRoutes {
    private final SqlitePool pool;
    private final ChatService chat;
    private final HttpMetrics http;
    private final IntSupplier webSockets;
    private final LongSupplier rateLimited;
    private final LongSupplier signInsRateLimited;
    private final Gate gate;
    private final MetricsAccess access;
    private final Supplier<Map<String, Long>> cluster;

    /** @param cluster a cluster node's counters and gauges by metric name (empty on a single server) */
    MetricsRoutes(SqlitePool pool, ChatService chat, HttpMetrics http, IntSupplier webSockets, LongSupplier rateLimited,
                  LongSupplier signInsRateLimited, Gate gate, MetricsAccess access, Supplier<Map<String, Long>> cluster) {
        this.cluster = cluster;
        this.pool = pool;
        this.chat = chat;
        this.http = http;
        this.webSockets = webSockets;
        this.rateLimited = rateLimited;
        this.signInsRateLimited = signInsRateLimited;
        this.gate = gate;
        this.access = access;
    }

    void install(RoutesConfig routes) {
        routes.get("/metrics", this::metrics);
    }

    private void metrics(Context ctx) {
        access.check(ctx);
        PrometheusText out = new PrometheusText();
        out.family("loomlite_up", "gauge", "1 while the server accepts work, 0 while starting or draining.")
                .sample("loomlite_up", gate.isUp() ? 1 : 0);
        pool(out, pool.metrics());
        chat(out, chat.metrics());
        http(out);
        out.family("loomlite_ws_subscribers", "gauge", "Open WebSocket event streams.")
                .sample("loomlite_ws_subscribers", webSockets.getAsInt());
        // A cluster node's forwards, fan-out and followers (docs/cluster.md); names ending in _total are counters.
        cluster.get().forEach((name, value) -> out.family(name, name.endsWith("_total") ? "counter" : "gauge",
                "Cluster: " + name.substring("loomlite_cluster_".length()).replace('_', ' ') + ".").sample(name, value));
        ctx.contentType(PrometheusText.CONTENT_TYPE).result(out.toString());
    }

    private static void pool(PrometheusText out, PoolMetrics m) {
        out.family("loomlite_pool_queue_depth", "gauge", "Tasks waiting in a database lane.");
        m.lanes().forEach(l -> out.sample("loomlite_pool_queue_depth", l.queueDepth(), lane(l)));
        lanes(out, m, "loomlite_pool_tasks_completed_total", "Tasks that succeeded.", PoolMetrics.Lane::completed);
        lanes(out, m, "loomlite_pool_tasks_failed_total", "Tasks that ran and failed.", PoolMetrics.Lane::failed);
        lanes(out, m, "loomlite_pool_tasks_rejected_total", "Calls turned away by saturation or shutdown.", PoolMetrics.Lane::rejected);
        lanes(out, m, "loomlite_pool_tasks_timed_out_total", "Tasks whose deadline passed.", PoolMetrics.Lane::timedOut);
        out.family("loomlite_pool_wait_seconds", "summary", "Time from submission to start on a worker.");
        m.lanes().forEach(l -> summary(out, "loomlite_pool_wait_seconds", l.waitMicros(), 1e-6, lane(l)));
        out.family("loomlite_pool_exec_seconds", "summary", "Time running on a worker.");
        m.lanes().forEach(l -> summary(out, "loomlite_pool_exec_seconds", l.execMicros(), 1e-6, lane(l)));
        out.family("loomlite_pool_commit_batch_size", "summary", "Writes group-committed in one transaction.");
        summary(out, "loomlite_pool_commit_batch_size", m.batches(), 1);
        out.family("loomlite_pool_checkpoint_seconds", "summary", "WAL checkpoint durations.");
        summary(out, "loomlite_pool_checkpoint_seconds", m.checkpoints(), 1e-6);
        out.family("loomlite_pool_workers", "gauge", "Live worker threads.").sample("loomlite_pool_workers", m.workers());
        out.family("loomlite_pool_workers_replaced_total", "counter", "Workers replaced after they died.")
                .sample("loomlite_pool_workers_replaced_total", m.replacedWorkers());
    }

    private static void lanes(PrometheusText out, PoolMetrics m, String name, String help, ToLongFunction<PoolMetrics.Lane> value) {
        out.family(name, "counter", help);
        m.lanes().forEach(l -> out.sample(name, value.applyAsLong(l), lane(l)));
    }

    private static String[] lane(PoolMetrics.Lane l) {
        return new String[] {"database", l.database(), "lane", l.kind().name().toLowerCase(Locale.ROOT)};
    }

    private static void summary(PrometheusText out, String name, PoolMetrics.Histogram h, double scale, String... labels) {
        out.sample(name, h.p50() * scale, with(labels, "quantile", "0.5"));
        out.sample(name, h.p99() * scale, with(labels, "quantile", "0.99"));
        out.sample(name + "_sum", h.sum() * scale, labels);
        out.sample(name + "_count", h.count(), labels);
    }

    private static void chat(PrometheusText out, ChatMetrics m) {
        out.family("loomlite_chat_sends_total", "counter", "Sends by outcome.")
                .sample("loomlite_chat_sends_total", m.accepted(), "outcome", "accepted")
                .sample("loomlite_chat_sends_total", m.replayed(), "outcome", "replayed")
                .sample("loomlite_chat_sends_total", m.rejected(), "outcome", "rejected")
                .sample("loomlite_chat_sends_total", m.failed(), "outcome", "failed")
                .sample("loomlite_chat_sends_total", m.timedOut(), "outcome", "timed_out");
        out.family("loomlite_chat_queued", "gauge", "Accepted sends waiting, over all rooms.").sample("loomlite_chat_queued", m.queued());
        out.family("loomlite_chat_active_rooms", "gauge", "Rooms whose loop is running.").sample("loomlite_chat_active_rooms", m.activeRooms());
        out.family("loomlite_chat_subscribers", "gauge", "Open chat subscriptions.").sample("loomlite_chat_subscribers", m.subscribers());
        out.family("loomlite_chat_subscribers_dropped_total", "counter", "Subscriptions dropped for being too slow.")
                .sample("loomlite_chat_subscribers_dropped_total", m.droppedSubscribers());
    }

    private void http(PrometheusText out) {
        out.family("loomlite_http_requests_total", "counter", "HTTP requests by route, method and status.");
        for (Map.Entry<HttpMetrics.Outcome, Long> e : http.requests().entrySet()) {
            HttpMetrics.Outcome o = e.getKey();
            out.sample("loomlite_http_requests_total", e.getValue(), "route", o.route().route(), "method", o.route().method(),
                    "status", Integer.toString(o.status()));
        }
        out.family("loomlite_http_request_duration_seconds", "histogram", "HTTP request latency by route and method.");
        for (Map.Entry<HttpMetrics.Route, HttpMetrics.Latency> e : http.latencies().entrySet()) {
            HttpMetrics.Route r = e.getKey();
            HttpMetrics.Latency l = e.getValue();
            long cumulative = 0;
            for (int i = 0; i < HttpMetrics.BUCKETS.length; i++) {
                cumulative += l.buckets[i].sum();
                out.sample("loomlite_http_request_duration_seconds_bucket", cumulative, "route", r.route(), "method", r.method(),
                        "le", Double.toString(HttpMetrics.BUCKETS[i]));
            }
            long count = l.count.sum();
            out.sample("loomlite_http_request_duration_seconds_bucket", count, "route", r.route(), "method", r.method(), "le", "+Inf");
            out.sample("loomlite_http_request_duration_seconds_sum", l.sumSeconds.sum(), "route", r.route(), "method", r.method());
            out.sample("loomlite_http_request_duration_seconds_count", count, "route", r.route(), "method", r.method());
        }
        out.family("loomlite_http_rate_limited_total", "counter", "Sends refused with 429 by the per-session limit.")
                .sample("loomlite_http_rate_limited_total", rateLimited.getAsLong());
        out.family("loomlite_http_sign_ins_rate_limited_total", "counter", "Sign-ins refused with 429 by the per-address limit.")
                .sample("loomlite_http_sign_ins_rate_limited_total", signInsRateLimited.getAsLong());
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] all = Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }
}
