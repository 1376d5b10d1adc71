package dev.loomlite.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a run measured. Counts and latencies are of the measured seconds (after the warm-up, before the end of
 * sending) unless named {@code ...Total}, which cover the whole run, warm-up and the drain after it included.
 *
 * @param acked           messages the outboxes reported {@code Sent} in the measured seconds
 * @param ackedTotal      ... over the whole run (what the verdict checks)
 * @param enqueuedTotal   messages the senders enqueued
 * @param rejectedTotal   messages the outboxes gave up on ({@code Failed}), whole run
 * @param rejected        those by the last attempt's HTTP status (0: no response)
 * @param attemptErrors   failed attempts (retried or not) by HTTP status, whole run
 * @param deliveries      this run's messages received by subscribers in the measured seconds
 * @param deliveriesTotal ... over the whole run
 * @param foreignDeliveries messages of other clients received (order-checked, no latency)
 * @param ackRate         acked per second of the measured seconds
 * @param deliveryRate    deliveries per second of the measured seconds
 * @param serverCpuPercent server CPU over the measured seconds, % of one core (with {@code --server-pid})
 * @param serverCpuMicrosPerAck server CPU time per acknowledged message
 * @param serverPeakRssMiB the largest server RSS sampled (every second, whole run)
 * @param serverRssPerSubscriberKiB how much the server's RSS grew while the subscribers connected, per subscriber
 *                         (before any message; meaningful on a fresh server with many subscribers, e.g. 10,000 with
 *                         {@code --senders 0}: a JVM's RSS keeps its heap's high-water mark)
 * @param toolCpuPercent   this tool's CPU over the measured seconds, % of one core
 * @param toolCpuMicrosPerAck this tool's CPU time per acknowledged message
 * @param epochChanges     reloads of a room by its subscribers after a higher epoch or a resync (a verdict failure)
 * @param deflateSubscribers subscribers whose (last) connection the server accepted permessage-deflate on
 * @param phases           with {@code --phase-mark}, once its file appeared: latencies before and after it
 * @param split            with {@code --shards}: delivery latency to subscribers on the room's owner node and on others
 * @param servers          each {@code --server-pid}'s CPU and peak RSS, in their order (the server figures above are
 *                         their sums); empty without one
 */
record Summary(LoadOptions options, String startedAt, long acked, long ackedTotal, long enqueuedTotal, long rejectedTotal,
               Map<String, Long> rejected, Map<String, Long> attemptErrors, Latency ack, Latency delivery,
               long deliveries, long deliveriesTotal, long foreignDeliveries, double ackRate, double deliveryRate,
               OptionalDouble serverCpuPercent, OptionalDouble serverCpuMicrosPerAck, OptionalDouble serverPeakRssMiB,
               OptionalDouble serverRssPerSubscriberKiB,
               double toolCpuPercent, double toolCpuMicrosPerAck, long reconnects, long resets, long epochChanges,
               long subscribers,
               long deflateSubscribers,
               Verifier.Verdict verdict, List<Second> series, Histogram ackHistogram, Histogram deliveryHistogram,
               Optional<Phases> phases, Optional<Split> split, List<ServerProcess> servers) {

    /** Adds up the timeline: seconds {@code [warmup, warmup + duration)} are measured, the others only shown. */
    static Summary of(LoadOptions o, String startedAt, Timeline timeline, Progress progress, int sampled,
                      List<Sender> senders, Map<String, List<Subscriber>> subscribers, OptionalDouble rssPerSubscriberKiB,
                      Verifier.Verdict verdict) {
        int from = o.warmupSeconds();
        int to = from + o.durationSeconds();
        Histogram ack = new Histogram();
        Histogram delivery = new Histogram();
        Histogram sameNode = new Histogram();
        Histogram crossNode = new Histogram();
        long[] rejected = new long[Timeline.STATUSES.length + 1];
        long[] attempts = new long[Timeline.STATUSES.length + 1];
        long ackedTotal = 0;
        long deliveriesTotal = 0;
        long foreign = 0;
        List<Second> series = new ArrayList<>();
        Timeline.Sample before = progress.baseline();
        for (int k = 0; k < timeline.capacity(); k++) {
            Timeline.Slot slot = timeline.peek(k);
            if (slot == null && k >= sampled) {
                continue;
            }
            slot = timeline.slot(k);
            long acks = slot.acks.count();
            long deliveries = slot.deliveries.count();
            ackedTotal += acks;
            deliveriesTotal += deliveries;
            foreign += slot.foreignDeliveries.get();
            long errors = 0;
            long refused = 0;
            for (int i = 0; i < rejected.length; i++) {
                rejected[i] += slot.rejected.get(i);
                attempts[i] += slot.attemptErrors.get(i);
                errors += slot.attemptErrors.get(i);
                refused += slot.rejected.get(i);
            }
            if (k >= from && k < to) {
                ack.add(slot.acks);
                delivery.add(slot.deliveries);
                sameNode.add(slot.sameNode);
                crossNode.add(slot.crossNode);
            }
            Timeline.Sample now = slot.sample;
            series.add(new Second(k + 1, progress.phase(k), acks, deliveries, errors, refused,
                    slot.acks.quantileMicros(0.5) / 1e3, slot.acks.quantileMicros(0.99) / 1e3,
                    slot.deliveries.quantileMicros(0.5) / 1e3, slot.deliveries.quantileMicros(0.99) / 1e3,
                    percent(before == null ? -1 : before.serverCpuNanos(), now == null ? -1 : now.serverCpuNanos(), 1e9),
                    now == null || now.serverRssBytes() < 0 ? Double.NaN : now.serverRssBytes() / 1048576.0,
                    percent(before == null ? -1 : before.toolCpuNanos(), now == null ? -1 : now.toolCpuNanos(), 1e9)));
            before = now;
        }
        Timeline.Sample start = from == 0 ? progress.baseline() : sample(timeline, from - 1);
        Timeline.Sample end = sample(timeline, to - 1);
        double measured = o.durationSeconds() * 1e9;
        long acked = ack.count();
        double serverCpu = start == null || end == null ? -1 : cpu(start.serverCpuNanos(), end.serverCpuNanos());
        double toolCpu = start == null || end == null ? -1 : cpu(start.toolCpuNanos(), end.toolCpuNanos());
        long rss = progress.peakRssBytes();
        return new Summary(o, startedAt, acked, ackedTotal, senders.stream().mapToLong(Sender::enqueued).sum(),
                senders.stream().mapToLong(Sender::failed).sum(), byStatus(rejected), byStatus(attempts),
                Latency.of(ack), Latency.of(delivery), delivery.count(), deliveriesTotal, foreign,
                acked / (measured / 1e9), delivery.count() / (measured / 1e9),
                serverCpu < 0 ? OptionalDouble.empty() : OptionalDouble.of(serverCpu / measured * 100),
                serverCpu < 0 || acked == 0 ? OptionalDouble.empty() : OptionalDouble.of(serverCpu / 1e3 / acked),
                rss < 0 ? OptionalDouble.empty() : OptionalDouble.of(rss / 1048576.0), rssPerSubscriberKiB,
                toolCpu < 0 ? Double.NaN : toolCpu / measured * 100, toolCpu < 0 || acked == 0 ? Double.NaN : toolCpu / 1e3 / acked,
                subscribers.values().stream().flatMap(List::stream).mapToLong(Subscriber::reconnects).sum(),
                subscribers.values().stream().flatMap(List::stream).mapToLong(Subscriber::resets).sum(),
                subscribers.values().stream().flatMap(List::stream).mapToLong(Subscriber::epochChanges).sum(),
                subscribers.values().stream().mapToLong(List::size).sum(),
                subscribers.values().stream().flatMap(List::stream).filter(Subscriber::deflate).count(),
                verdict, List.copyOf(series), ack, delivery, phases(timeline, progress.phaseStart(), from, to),
                o.nodes().known() ? Optional.of(new Split(Latency.of(sameNode), Latency.of(crossNode))) : Optional.empty(),
                servers(o, start, end, progress.peakRssBytesByPid(), acked));
    }

    /** Each server process's CPU over the measured seconds (from the samples at their ends) and its peak RSS. */
    private static List<ServerProcess> servers(LoadOptions o, Timeline.Sample start, Timeline.Sample end, List<Long> peaks,
                                               long acked) {
        double measured = o.durationSeconds() * 1e9;
        List<ServerProcess> list = new ArrayList<>();
        for (int i = 0; i < o.serverPids().size(); i++) {
            double cpu = start == null || end == null ? -1 : cpu(start.cpuNanosByPid().get(i), end.cpuNanosByPid().get(i));
            long peak = peaks.get(i);
            list.add(new ServerProcess(o.serverPids().get(i), cpu < 0 ? Double.NaN : cpu / measured * 100,
                    cpu < 0 || acked == 0 ? Double.NaN : cpu / 1e3 / acked, peak < 0 ? Double.NaN : peak / 1048576.0));
        }
        return List.copyOf(list);
    }

    /** The measured seconds before {@code mark} and from it on, if the mark fell in them. */
    private static Optional<Phases> phases(Timeline timeline, int mark, int from, int to) {
        if (mark <= from || mark >= to) {
            return Optional.empty();
        }
        return Optional.of(new Phases(phase(timeline, from, mark), phase(timeline, mark, to)));
    }

    private static Phase phase(Timeline timeline, int from, int to) {
        Histogram ack = new Histogram();
        Histogram delivery = new Histogram();
        for (int k = from; k < to; k++) {
            Timeline.Slot slot = timeline.peek(k);
            if (slot != null) {
                ack.add(slot.acks);
                delivery.add(slot.deliveries);
            }
        }
        return new Phase(from + 1, to, Latency.of(ack), Latency.of(delivery));
    }

    private static Timeline.Sample sample(Timeline timeline, int second) {
        Timeline.Slot slot = timeline.peek(second);
        return slot == null ? null : slot.sample;
    }

    private static double cpu(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    private static double percent(long before, long after, double nanos) {
        return before < 0 || after < 0 ? Double.NaN : (after - before) / nanos * 100;
    }

    private static Map<String, Long> byStatus(long[] counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                m.put(Timeline.statusName(i), counts[i]);
            }
        }
        return m;
    }

    /** A latency distribution in milliseconds. */
    record Latency(long count, double p50, double p90, double p99, double max) {
        static Latency of(Histogram h) {
            return new Latency(h.count(), h.quantileMicros(0.50) / 1e3, h.quantileMicros(0.90) / 1e3,
                    h.quantileMicros(0.99) / 1e3, h.maxMicros() / 1e3);
        }
    }

    /**
     * Delivery latency over the measured seconds split by where the subscriber was: on the node that owns the room
     * ({@code sameNode}: the message went from the owner's engine to its socket) or on another ({@code crossNode}:
     * it crossed the cluster to a follower first).
     */
    record Split(Latency sameNode, Latency crossNode) {
    }

    /** One {@code --server-pid}: CPU % of a core and µs per acknowledged message (measured seconds), peak RSS; NaN where unknown. */
    record ServerProcess(long pid, double cpuPercent, double cpuMicrosPerAck, double peakRssMiB) {
    }

    /** Two parts of the measured seconds: before a fault began ({@code before}) and after ({@code after}). */
    record Phases(Phase before, Phase after) {
    }

    /** Seconds {@code first..last} (1-based, inclusive, as the progress lines count them) and their latencies. */
    record Phase(int first, int last, Latency ack, Latency delivery) {
    }

    /** One second of the time series; CPU and RSS are NaN where unknown. */
    record Second(int second, String phase, long acks, long deliveries, long attemptErrors, long rejected,
                  double ackP50, double ackP99, double deliveryP50, double deliveryP99,
                  double serverCpuPercent, double serverRssMiB, double toolCpuPercent) {
    }
}
