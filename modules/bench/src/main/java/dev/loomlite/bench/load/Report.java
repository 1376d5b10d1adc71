package dev.loomlite.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** The summary as text (for the terminal), as {@code summary.json}, and as a self-contained {@code report.html}. */
final class Report {
    private Report() {
    }

    static void write(Summary s, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.json"), json(s));
            Files.writeString(dir.resolve("report.html"), HtmlReport.html(s, json(s)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + dir.toAbsolutePath(), e);
        }
    }

    static String text(Summary s) {
        LoadOptions o = s.options();
        StringBuilder b = new StringBuilder(1024);
        b.append(f("%n=== Loomlite end-to-end load: %d s measured after %d s of warm-up, against %s ===%n",
                o.durationSeconds(), o.warmupSeconds(), o.urls().size() == 1 ? o.url() : o.urls().size() + " nodes " + o.urls()));
        if (o.urls().size() > 1) {
            b.append(f("nodes            senders send %s; subscriber k of a room connects to node k %% %d; %s%n",
                    sendVia(o), o.urls().size(), o.nodes().known()
                            ? o.shards() + " shards, shard s owned by node s % " + o.urls().size() : "owners unknown (no --shards)"));
        }
        b.append(f("%d senders %s, %d rooms, %d subscribers per room, %d-character messages, %s, compression %s%n",
                o.senders(), (o.rawTransport() ? "sending RAW (no outbox, no retries)" : "through the outbox")
                        + (o.socketHttp() ? " over the tool's socket client" : " over HttpTransport (java.net.http)"), o.rooms(), o.subscribersPerRoom(), o.messageSize(),
                o.rate() == 0 ? "closed loop" : "target " + o.rate() + " messages/s", o.compression() ? "offered" : "off"));
        b.append(f("acknowledged     %,d messages, %,.0f/s (whole run: %,d of %,d enqueued)%n", s.acked(), s.ackRate(),
                s.ackedTotal(), s.enqueuedTotal()));
        b.append(f("rejected         %,d %s; failed attempts (retried or not) %s%n", s.rejectedTotal(),
                statuses(s.rejected()), statuses(s.attemptErrors())));
        Summary.Latency a = s.ack();
        b.append(f("ack latency      p50 %.2f  p90 %.2f  p99 %.2f  max %.2f ms%n", a.p50(), a.p90(), a.p99(), a.max()));
        Summary.Latency d = s.delivery();
        b.append(f("delivery latency p50 %.2f  p99 %.2f  max %.2f ms (%,d deliveries, %,.0f/s)%n", d.p50(), d.p99(),
                d.max(), s.deliveries(), s.deliveryRate()));
        s.split().ifPresent(p -> {
            b.append(split("  same-node", p.sameNode()));
            b.append(split("  cross-node", p.crossNode()));
        });
        s.phases().ifPresent(p -> {
            b.append(phase("phase 1 (before)", p.before()));
            b.append(phase("phase 2 (after)", p.after()));
        });
        if (s.serverCpuPercent().isPresent()) {
            b.append(f("server           CPU %.0f %% of a core, %.1f µs per acknowledged message, peak RSS %.0f MiB%n",
                    s.serverCpuPercent().getAsDouble(), s.serverCpuMicrosPerAck().orElse(Double.NaN),
                    s.serverPeakRssMiB().orElse(Double.NaN)));
            b.append(f("                 RSS grew %.1f KiB per subscriber while they connected%n",
                    s.serverRssPerSubscriberKiB().orElse(Double.NaN)));
            if (s.servers().size() > 1) {
                b.append("                 (CPU summed over the pids, peak RSS of their sum)\n");
            }
        } else if (s.servers().isEmpty()) {
            b.append("server           (no --server-pid: CPU and RSS not measured)\n");
        } else {
            b.append("server           (CPU not measured: a --server-pid could not be read)\n");
        }
        if (s.servers().size() > 1) {
            s.servers().forEach(p -> b.append(f("  pid %-13d CPU %.0f %% of a core, %.1f µs per acknowledged message, peak RSS %.0f MiB%n",
                    p.pid(), p.cpuPercent(), p.cpuMicrosPerAck(), p.peakRssMiB())));
        }
        b.append(f("tool             CPU %.0f %% of a core, %.1f µs per acknowledged message%n", s.toolCpuPercent(),
                s.toolCpuMicrosPerAck()));
        if (s.toolCpuPercent() > 70) {
            b.append(f("NOTE             the tool itself used %.0f %% of a core: on a small machine it may be what limits the rate%s%n",
                    s.toolCpuPercent(), o.socketHttp() ? "" : " (--http socket sends for about a fifth of the CPU)"));
        }
        b.append(f("subscribers      %d, permessage-deflate %s on %d; %d reconnects, %d resets, %d epoch changes; %,d deliveries of other clients' messages%n",
                s.subscribers(), o.compression() ? "offered, accepted" : "not offered, accepted", s.deflateSubscribers(),
                s.reconnects(), s.resets(), s.epochChanges(), s.foreignDeliveries()));
        Verifier.Verdict v = s.verdict();
        if (v.ok()) {
            b.append(f("VERDICT: OK: all %,d acknowledged messages reached every subscriber of their room exactly once and "
                    + "in seq order; seq gapless in all %d rooms (%,d messages read back)%n", v.ackedMessages(), o.rooms(),
                    v.historyMessages()));
        } else {
            b.append(f("VERDICT: FAILED (%d problems)%n", v.problems().size()));
            v.problems().forEach(p -> b.append("  - ").append(p).append('\n'));
        }
        return b.toString();
    }

    private static String split(String name, Summary.Latency l) {
        return f("%-17sp50 %.2f  p99 %.2f  max %.2f ms (%,d deliveries)%n", name, l.p50(), l.p99(), l.max(), l.count());
    }

    static String sendVia(LoadOptions o) {
        return switch (o.sendVia()) {
            case SPREAD -> "round robin (sender j through node j % " + o.urls().size() + ")";
            case OWNER -> "through the room's owner";
            case NON_OWNER -> "through the nodes that do not own the room, in turn";
        };
    }

    private static String phase(String name, Summary.Phase p) {
        return f("%-17sseconds %d-%d: delivery p50 %.2f p99 %.2f ms (%,d), ack p50 %.2f p99 %.2f ms (%,d)%n", name,
                p.first(), p.last(), p.delivery().p50(), p.delivery().p99(), p.delivery().count(), p.ack().p50(),
                p.ack().p99(), p.ack().count());
    }

    static String json(Summary s) {
        LoadOptions o = s.options();
        StringBuilder b = new StringBuilder(4096);
        b.append("{\n");
        b.append("  \"startedAt\": ").append(str(s.startedAt())).append(",\n");
        b.append("  \"options\": {\"url\": ").append(str(o.url().toString()))
                .append(", \"urls\": ").append(strings(o.urls().stream().map(URI::toString).toList()))
                .append(", \"shards\": ").append(o.shards())
                .append(", \"sendVia\": ").append(str(Nodes.name(o.sendVia())))
                .append(", \"durationSeconds\": ").append(o.durationSeconds())
                .append(", \"warmupSeconds\": ").append(o.warmupSeconds())
                .append(", \"rooms\": ").append(o.rooms())
                .append(", \"senders\": ").append(o.senders())
                .append(", \"subscribersPerRoom\": ").append(o.subscribersPerRoom())
                .append(", \"messageSize\": ").append(o.messageSize())
                .append(", \"rate\": ").append(o.rate())
                .append(", \"compression\": ").append(o.compression())
                .append(", \"transport\": ").append(o.rawTransport() ? "\"raw\"" : "\"outbox\"")
                .append(", \"http\": ").append(o.socketHttp() ? "\"socket\"" : "\"jdk\"")
                .append(", \"serverPid\": ").append(o.serverPids().isEmpty() ? "null" : String.valueOf(o.serverPids().getFirst()))
                .append(", \"serverPids\": ").append(o.serverPids())
                .append("},\n");
        b.append("  \"acknowledged\": ").append(s.acked()).append(",\n");
        b.append("  \"acknowledgedPerSecond\": ").append(num(s.ackRate())).append(",\n");
        b.append("  \"acknowledgedTotal\": ").append(s.ackedTotal()).append(",\n");
        b.append("  \"enqueuedTotal\": ").append(s.enqueuedTotal()).append(",\n");
        b.append("  \"rejectedTotal\": ").append(s.rejectedTotal()).append(",\n");
        b.append("  \"rejectedByStatus\": ").append(map(s.rejected())).append(",\n");
        b.append("  \"failedAttemptsByStatus\": ").append(map(s.attemptErrors())).append(",\n");
        b.append("  \"ackLatencyMs\": ").append(latency(s.ack())).append(",\n");
        b.append("  \"deliveryLatencyMs\": ").append(latency(s.delivery())).append(",\n");
        s.split().ifPresent(p -> b.append("  \"sameNodeDeliveryLatencyMs\": ").append(latency(p.sameNode())).append(",\n")
                .append("  \"crossNodeDeliveryLatencyMs\": ").append(latency(p.crossNode())).append(",\n"));
        s.phases().ifPresent(p -> b.append("  \"phases\": [").append(phase(p.before())).append(", ").append(phase(p.after()))
                .append("],\n"));
        b.append("  \"deliveries\": ").append(s.deliveries()).append(",\n");
        b.append("  \"deliveriesPerSecond\": ").append(num(s.deliveryRate())).append(",\n");
        b.append("  \"deliveriesTotal\": ").append(s.deliveriesTotal()).append(",\n");
        b.append("  \"foreignDeliveries\": ").append(s.foreignDeliveries()).append(",\n");
        b.append("  \"serverCpuPercent\": ").append(opt(s.serverCpuPercent())).append(",\n");
        b.append("  \"serverCpuMicrosPerAck\": ").append(opt(s.serverCpuMicrosPerAck())).append(",\n");
        b.append("  \"serverPeakRssMiB\": ").append(opt(s.serverPeakRssMiB())).append(",\n");
        b.append("  \"serverRssPerSubscriberKiB\": ").append(opt(s.serverRssPerSubscriberKiB())).append(",\n");
        b.append("  \"serverProcesses\": [");
        for (int i = 0; i < s.servers().size(); i++) {
            Summary.ServerProcess p = s.servers().get(i);
            b.append(i == 0 ? "" : ", ").append(f("{\"pid\": %d, \"cpuPercent\": %s, \"cpuMicrosPerAck\": %s, \"peakRssMiB\": %s}",
                    p.pid(), num(p.cpuPercent()), num(p.cpuMicrosPerAck()), num(p.peakRssMiB())));
        }
        b.append("],\n");
        b.append("  \"toolCpuPercent\": ").append(num(s.toolCpuPercent())).append(",\n");
        b.append("  \"toolCpuMicrosPerAck\": ").append(num(s.toolCpuMicrosPerAck())).append(",\n");
        b.append("  \"reconnects\": ").append(s.reconnects()).append(",\n");
        b.append("  \"resets\": ").append(s.resets()).append(",\n");
        b.append("  \"epochChanges\": ").append(s.epochChanges()).append(",\n");
        b.append("  \"subscribers\": ").append(s.subscribers()).append(",\n");
        b.append("  \"deflateSubscribers\": ").append(s.deflateSubscribers()).append(",\n");
        Verifier.Verdict v = s.verdict();
        b.append("  \"verdict\": {\"ok\": ").append(v.ok()).append(", \"ackedMessages\": ").append(v.ackedMessages())
                .append(", \"historyMessages\": ").append(v.historyMessages()).append(", \"problems\": [");
        for (int i = 0; i < v.problems().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(str(v.problems().get(i)));
        }
        b.append("]},\n");
        b.append("  \"seconds\": [");
        for (int i = 0; i < s.series().size(); i++) {
            Summary.Second x = s.series().get(i);
            b.append(i == 0 ? "\n    " : ",\n    ").append(f("{\"t\": %d, \"phase\": %s, \"acks\": %d, \"deliveries\": %d, "
                            + "\"failedAttempts\": %d, \"rejected\": %d, \"ackP50\": %s, \"ackP99\": %s, \"deliveryP50\": %s, "
                            + "\"deliveryP99\": %s, \"serverCpuPercent\": %s, \"serverRssMiB\": %s, \"toolCpuPercent\": %s}",
                    x.second(), str(x.phase()), x.acks(), x.deliveries(), x.attemptErrors(), x.rejected(), num(x.ackP50()),
                    num(x.ackP99()), num(x.deliveryP50()), num(x.deliveryP99()), num(x.serverCpuPercent()),
                    num(x.serverRssMiB()), num(x.toolCpuPercent())));
        }
        b.append("\n  ],\n");
        b.append("  \"ackHistogramMicros\": ").append(histogram(s.ackHistogram())).append(",\n");
        b.append("  \"deliveryHistogramMicros\": ").append(histogram(s.deliveryHistogram())).append('\n');
        b.append("}\n");
        return b.toString();
    }

    /** Non-empty buckets as {@code [[lowest µs, count], ...]}. */
    private static String histogram(Histogram h) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Histogram.BUCKETS; i++) {
            long c = h.count(i);
            if (c > 0) {
                b.append(b.length() == 1 ? "" : ", ").append('[').append(Histogram.lowest(i)).append(", ").append(c).append(']');
            }
        }
        return b.append(']').toString();
    }

    private static String phase(Summary.Phase p) {
        return f("{\"first\": %d, \"last\": %d, \"ackLatencyMs\": %s, \"deliveryLatencyMs\": %s}", p.first(), p.last(),
                latency(p.ack()), latency(p.delivery()));
    }

    private static String latency(Summary.Latency l) {
        return f("{\"count\": %d, \"p50\": %s, \"p90\": %s, \"p99\": %s, \"max\": %s}", l.count(), num(l.p50()),
                num(l.p90()), num(l.p99()), num(l.max()));
    }

    private static String strings(java.util.List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(str(values.get(i)));
        }
        return b.append(']').toString();
    }

    private static String map(Map<String, Long> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() == 1 ? "" : ", ").append(str(k)).append(": ").append(v));
        return b.append('}').toString();
    }

    private static String statuses(Map<String, Long> m) {
        return m.isEmpty() ? "(none)" : m.toString().replace('=', ':');
    }

    private static String opt(OptionalDouble d) {
        return d.isPresent() ? num(d.getAsDouble()) : "null";
    }

    static String num(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.3f", d);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("\\u003c"); // safe inside an HTML <script>
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
