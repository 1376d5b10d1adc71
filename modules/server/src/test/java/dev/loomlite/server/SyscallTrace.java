package dev.loomlite.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * An {@code strace -f -yy} log of a server process, read after it ended: which thread wrote WAL frames and which
 * fsynced what, between a request read from one client connection and the answer written to it.
 *
 * <pre>{@code
 * SyscallTrace.requireOrSkip();
 * List<String> command = SyscallTrace.command(log, java, args...);   // strace ... -o log java args...
 * SyscallTrace trace = SyscallTrace.read(log);
 * SyscallTrace.Exchange e = trace.exchange(clientPort, "POST /api/rooms/", "HTTP/1.1 201", "/chat-");
 * }</pre>
 */
final class SyscallTrace {
    static final String REQUIRE_ENV = "LOOMLITE_REQUIRE_STRACE";
    private static final Pattern CALL = Pattern.compile("^(\\d+)\\s+(\\w+)\\((\\d+)<(.*?)>[,)](.*)$");

    /** One system call on a file descriptor, at its line of the log (its completion line if it was interrupted). */
    record Call(int line, long tid, String name, int fd, String file) {
    }

    /**
     * What the server did for one request: the WAL frames written between reading it and answering, and the
     * syncs that completed after the last of those frames and before the answer.
     */
    record Exchange(int requestLine, int answerLine, List<Call> walWrites, List<Call> syncsAfterLastFrame) {
        /** The last WAL frame write of the commit (the thread and file that committed). */
        Call lastFrame() {
            return walWrites.getLast();
        }

        /** Whether the committing thread fsynced the WAL it wrote before the answer left. */
        boolean commitSynced() {
            Call frame = lastFrame();
            return syncsAfterLastFrame.stream().anyMatch(s -> s.tid() == frame.tid() && s.file().equals(frame.file()));
        }
    }

    private static final Pattern UNFINISHED = Pattern.compile("^(\\d+)\\s+(.*) <unfinished \\.\\.\\.>$");
    private static final Pattern RESUMED = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. \\w+ resumed>(.*)$");

    private final List<String> lines;
    private final List<Call> calls = new ArrayList<>();
    private final List<Call> syncs = new ArrayList<>();

    private SyscallTrace(List<String> lines) {
        this.lines = joinInterrupted(lines);
        for (int i = 0; i < this.lines.size(); i++) {
            Matcher m = CALL.matcher(this.lines.get(i));
            if (m.matches()) {
                Call call = new Call(i, Long.parseLong(m.group(1)), m.group(2), Integer.parseInt(m.group(3)), m.group(4));
                calls.add(call);
                if (isSync(call.name()) && m.group(5).endsWith("= 0")) {
                    syncs.add(call);
                }
            }
        }
    }

    /**
     * With {@code -f}, strace splits a call that another thread's call interrupted into {@code TID call(args
     * <unfinished ...>} and, later, {@code TID <... call resumed>rest}; a read's data is only on the second line.
     * Each such pair becomes one whole line at the position of its second part (the call's completion), and the
     * first part becomes an empty line, so that line numbers still order calls by completion.
     */
    private static List<String> joinInterrupted(List<String> raw) {
        List<String> out = new ArrayList<>(raw);
        Map<String, Integer> open = new HashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            Matcher u = UNFINISHED.matcher(raw.get(i));
            if (u.matches()) {
                open.put(u.group(1), i);
                continue;
            }
            Matcher r = RESUMED.matcher(raw.get(i));
            if (r.matches()) {
                Integer start = open.remove(r.group(1));
                if (start != null) {
                    Matcher first = UNFINISHED.matcher(raw.get(start));
                    if (first.matches()) {
                        out.set(i, first.group(1) + " " + first.group(2) + r.group(2));
                        out.set(start, "");
                    }
                }
            }
        }
        return out;
    }

    private static boolean isSync(String name) {
        return name.equals("fsync") || name.equals("fdatasync");
    }

    static SyscallTrace read(Path log) throws IOException {
        return new SyscallTrace(Files.readAllLines(log));
    }

    /** {@code strace} following every thread, logging syncs, WAL writes and socket traffic with file names. */
    static List<String> command(Path log, List<String> traced) {
        List<String> command = new ArrayList<>(List.of("strace", "-f", "-qq", "-yy", "-s", "256", "--seccomp-bpf",
                "-e", "trace=fsync,fdatasync,pwrite64,read,write,writev", "-o", log.toString()));
        command.addAll(traced);
        return command;
    }

    /** Every completed fsync or fdatasync of the run. */
    List<Call> syncs() {
        return syncs;
    }

    /**
     * The exchange on the client connection from local port {@code clientPort}: from the first read of it
     * containing {@code request} to the first write to it containing {@code answer}, with the frames written to
     * WAL files whose path contains {@code wal} (other databases' commits may interleave).
     */
    Exchange exchange(int clientPort, String request, String answer, String wal) {
        String peer = ":" + clientPort + "]>";
        int requestLine = find(0, l -> l.contains(peer) && l.matches("^\\d+\\s+read\\(.*") && l.contains(request));
        int answerLine = find(requestLine, l -> l.contains(peer) && l.matches("^\\d+\\s+writev?\\(.*") && l.contains(answer));
        List<Call> walWrites = calls.stream()
                .filter(c -> c.line() > requestLine && c.line() < answerLine && c.name().equals("pwrite64")
                        && c.file().endsWith(".db-wal") && c.file().contains(wal))
                .toList();
        if (walWrites.isEmpty()) {
            throw new AssertionError("no write to a WAL named *" + wal + "* between the request (line " + (requestLine + 1)
                    + ") and the answer (line " + (answerLine + 1) + ")");
        }
        int lastFrame = walWrites.getLast().line();
        List<Call> after = syncs.stream().filter(s -> s.line() > lastFrame && s.line() < answerLine).toList();
        return new Exchange(requestLine, answerLine, walWrites, after);
    }

    /**
     * The log's lines {@code from..to} (inclusive, 1 000 at most, the last ones kept), for a failure message that
     * shows what happened: a CI run that fails under load cannot be repeated.
     */
    String excerpt(int from, int to) {
        int start = Math.max(from, to - 999);
        StringBuilder out = new StringBuilder();
        for (int i = start; i <= Math.min(to, lines.size() - 1); i++) {
            out.append(i + 1).append(": ").append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    private int find(int from, java.util.function.Predicate<String> test) {
        for (int i = from; i < lines.size(); i++) {
            if (test.test(lines.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such line in the trace after line " + (from + 1));
    }

    /** The names of the threads of a live process ({@code /proc/<pid>/task/<tid>/comm}: 15 characters at most). */
    static Map<Long, String> threadNames(long pid) throws IOException {
        Map<Long, String> names = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.put(Long.parseLong(task.getFileName().toString()), Files.readString(task.resolve("comm")).strip());
                } catch (IOException ended) {
                    // The thread ended meanwhile.
                }
            }
        }
        return names;
    }

    /**
     * Skips the calling test where strace is missing or cannot trace (no ptrace in this container), but fails it
     * where {@value #REQUIRE_ENV} is set (CI), so the durability test never vanishes unnoticed.
     */
    static void requireOrSkip() {
        String missing = unavailable();
        if (missing == null) {
            return;
        }
        if (System.getenv(REQUIRE_ENV) != null) {
            throw new AssertionError(REQUIRE_ENV + " is set but " + missing);
        }
        Assumptions.abort("strace tests skipped: " + missing);
    }

    private static String unavailable() {
        try {
            Process p = new ProcessBuilder("strace", "-f", "-qq", "-e", "trace=fsync", "true").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "strace cannot trace here (ptrace not permitted?): " + out.strip();
            }
            return null;
        } catch (IOException e) {
            return "Debian's strace is not installed (apt-get install strace)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking strace";
        }
    }
}
