package dev.loomlite.bench.load;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the server's and the tool's CPU and RSS at the end of every second (into the {@link Timeline}) and prints
 * one progress line for it: acks/s, deliveries/s, errors by status, ack p50/p99 and delivery p99 of that second.
 * Runs on its own virtual thread from {@link #start} until {@link #stop}. With a phase mark, it also looks for the
 * mark's file at the end of every second; the first whole second after it appeared starts the second phase.
 */
final class Progress {
    private final Timeline timeline;
    private final List<Long> serverPids;
    private final PrintStream out;
    private final int warmup;
    private final int sendSeconds;
    private final Optional<Path> phaseMark;
    // Written by the run's thread, read by the sampling thread.
    private volatile boolean stopped;
    // Written by the sampling thread, read after stop() joined it.
    private Timeline.Sample baseline;
    private int seconds;
    private long peakRss = -1;
    private final long[] peakRssByPid;
    // Written by the sampling thread, read by it and by the summary after stop().
    private volatile int phaseStart = -1;
    private Thread thread;

    Progress(Timeline timeline, List<Long> serverPids, PrintStream out, int warmup, int sendSeconds, Optional<Path> phaseMark) {
        this.timeline = timeline;
        this.serverPids = List.copyOf(serverPids);
        this.peakRssByPid = new long[serverPids.size()];
        Arrays.fill(peakRssByPid, -1);
        this.out = out;
        this.warmup = warmup;
        this.sendSeconds = sendSeconds;
        this.phaseMark = phaseMark;
    }

    /** Takes the baseline sample now (call at the timeline's origin) and starts the per-second loop. */
    void start() {
        baseline = sample();
        thread = Thread.ofVirtual().name("load-progress").start(this::loop);
    }

    /** Stops after the current second's line; returns the number of seconds sampled. */
    int stop() {
        if (thread == null) {
            return 0;
        }
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return seconds;
    }

    Timeline.Sample baseline() {
        return baseline;
    }

    /** The largest sum of the servers' RSS sampled; -1 without {@code --server-pid}. */
    long peakRssBytes() {
        return peakRss;
    }

    /** Each {@code --server-pid}'s largest RSS sampled, in their order; -1 where never read. */
    List<Long> peakRssBytesByPid() {
        return Arrays.stream(peakRssByPid).boxed().toList();
    }

    /** The first second (0-based) of the second phase: the first whole second after the mark appeared; -1 if none. */
    int phaseStart() {
        return phaseStart;
    }

    private void loop() {
        for (int k = 0; k < timeline.capacity() && !stopped; k++) {
            long end = timeline.origin() + (k + 1) * 1_000_000_000L;
            for (long now = System.nanoTime(); now < end && !stopped; now = System.nanoTime()) {
                LockSupport.parkNanos(end - now);
            }
            if (stopped) {
                return;
            }
            Timeline.Sample s = sample();
            timeline.slot(k).sample = s;
            peakRss = Math.max(peakRss, s.serverRssBytes());
            for (int i = 0; i < peakRssByPid.length; i++) {
                peakRssByPid[i] = Math.max(peakRssByPid[i], s.rssBytesByPid().get(i));
            }
            seconds = k + 1;
            out.println(line(k, s, k == 0 ? baseline : timeline.slot(k - 1).sample));
            if (phaseStart < 0 && phaseMark.isPresent() && Files.exists(phaseMark.get())) {
                phaseStart = k + 1;
                out.printf("phase 2 starts at second %d (%s appeared)%n", k + 2, phaseMark.get());
            }
        }
    }

    private Timeline.Sample sample() {
        List<Long> cpu = serverPids.stream().map(ProcStats::cpuNanos).toList();
        List<Long> rss = serverPids.stream().map(ProcStats::rssBytes).toList();
        return new Timeline.Sample(sum(cpu), sum(rss), ProcStats.ownCpuNanos(), cpu, rss);
    }

    /** The sum, or -1 when there is nothing to add or one is unknown (a process gone: a sum without it would mislead). */
    static long sum(List<Long> values) {
        if (values.isEmpty() || values.contains(-1L)) {
            return -1;
        }
        return values.stream().mapToLong(Long::longValue).sum();
    }

    String phase(int second) {
        return second < warmup ? "warmup" : second < warmup + sendSeconds ? "measure" : "drain";
    }

    private String line(int k, Timeline.Sample now, Timeline.Sample before) {
        Timeline.Slot slot = timeline.slot(k);
        StringBuilder b = new StringBuilder(160);
        b.append(String.format("[%4ds %-7s] acks %,7d/s  deliveries %,9d/s  ack p50 %7.2f p99 %7.2f ms  delivery p99 %7.2f ms",
                k + 1, phase(k), slot.acks.count(), slot.deliveries.count(), slot.acks.quantileMicros(0.5) / 1e3,
                slot.acks.quantileMicros(0.99) / 1e3, slot.deliveries.quantileMicros(0.99) / 1e3));
        errors(b, "errors", slot.attemptErrors);
        errors(b, "rejected", slot.rejected);
        if (now.serverCpuNanos() >= 0 && before.serverCpuNanos() >= 0) {
            b.append(String.format("  server %3.0f%% %,d MiB", (now.serverCpuNanos() - before.serverCpuNanos()) / 1e7,
                    now.serverRssBytes() >> 20));
        }
        b.append(String.format("  tool %3.0f%%", (now.toolCpuNanos() - before.toolCpuNanos()) / 1e7));
        return b.toString();
    }

    private static void errors(StringBuilder b, String what, java.util.concurrent.atomic.AtomicLongArray counts) {
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < counts.length(); i++) {
            long c = counts.get(i);
            if (c > 0) {
                e.append(e.isEmpty() ? "" : " ").append(Timeline.statusName(i)).append(':').append(c);
            }
        }
        if (!e.isEmpty()) {
            b.append("  ").append(what).append(" {").append(e).append('}');
        }
    }
}
