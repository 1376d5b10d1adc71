package dev.loomlite.bench.faults;

import dev.loomlite.bench.load.Api;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The bad-input fault run's fuzzer: sends {@link FuzzCases} made from a seed to a running server and checks every
 * answer: a 4xx, {@code application/json}, exactly {@code {"error":"..."}} or {@code {"error":"...","field":"..."}},
 * without the case's canary (no reflected input) nor a stack trace, within the timeout (no hang). Then {@code /health}
 * must answer 200 within a second, and nothing may have changed that the API shows: every room's last seq, and the
 * live session's user. (Row counts in the SQLite files, after a clean stop, are the script's check: {@code count}.)
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.loomlite.bench.faults.InputFuzzer prepare --url U --cookie-file F   # sign in, one message
 * java -cp benchmarks.jar dev.loomlite.bench.faults.InputFuzzer fuzz --url U --cookie-file F [--seed S] [--cases N]
 * java -cp benchmarks.jar dev.loomlite.bench.faults.InputFuzzer count --data DIR                  # server stopped
 * }</pre>
 *
 * The seed is printed first; the same seed replays the same requests. Exit status: 0 no defect, 1 defects (each
 * printed with its case number and label), 2 wrong usage, 3 the setup failed.
 */
public final class InputFuzzer {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Duration HEALTH_LIMIT = Duration.ofSeconds(1);
    private static final Pattern ERROR_BODY =
            Pattern.compile("\\{\"error\":\"(?:[^\"\\\\]|\\\\.)+\"(?:,\"field\":\"(?:[^\"\\\\]|\\\\.)+\")?}");
    private static final Pattern STACK = Pattern.compile("Exception|\\tat |\\bat (dev|org|java|io)\\.");

    /** What a fuzz run found: the cases sent, answers by status, and every defect. */
    record Result(long seed, int cases, java.util.Map<Integer, Integer> statuses, List<String> defects, long maxMicros) {
        boolean ok() {
            return defects.isEmpty();
        }
    }

    private InputFuzzer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        try {
            switch (args[0]) {
                case "prepare" -> {
                    URI url = URI.create(o.get("--url"));
                    String cookie = signIn(url);
                    Files.writeString(Path.of(o.get("--cookie-file")), cookie);
                    Owner.sendOne(url, cookie);
                    System.out.println("prepared: signed in, one message in fuzz-0");
                }
                case "fuzz" -> {
                    long seed = o.containsKey("--seed") ? Long.parseLong(o.get("--seed")) : new SecureRandom().nextLong();
                    int cases = Integer.parseInt(o.getOrDefault("--cases", "2000"));
                    String cookie = Files.readString(Path.of(o.get("--cookie-file"))).strip();
                    Result r = fuzz(URI.create(o.get("--url")), cookie, seed, cases, System.out);
                    System.exit(r.ok() ? 0 : 1);
                }
                case "count" -> System.out.println(RowCounts.of(Path.of(o.get("--data"))));
                default -> usage();
            }
        } catch (IOException | IllegalStateException e) {
            System.err.println("fuzzer: setup failed: " + e.getMessage());
            System.exit(3);
        }
    }

    private static void usage() {
        System.err.println("Usage: InputFuzzer prepare --url U --cookie-file F | fuzz --url U --cookie-file F [--seed S] "
                + "[--cases N] | count --data DIR");
        System.exit(2);
    }

    /** Sends {@code cases} requests made from {@code seed}, checking each answer, then the server's health and state. */
    static Result fuzz(URI base, String cookie, long seed, int cases, PrintStream log) throws IOException, InterruptedException {
        log.printf("fuzz: seed %d (replay: --seed %d), %d cases against %s%n", seed, seed, cases, base);
        String roomsBefore = Owner.get(base, cookie, "/api/rooms");
        String userBefore = Owner.get(base, cookie, "/api/session");
        FuzzCases generator = new FuzzCases(base, cookie, seed);
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<String> defects = new ArrayList<>();
        long maxMicros = 0;
        for (int i = 1; i <= cases; i++) {
            FuzzCases.Case c = generator.next();
            RawHttp.Answer a = RawHttp.exchange(base, c.request(), TIMEOUT);
            statuses.merge(a.status(), 1, Integer::sum);
            maxMicros = Math.max(maxMicros, a.micros());
            String problem = check(a, c.canary());
            if (problem != null) {
                defects.add("case " + i + " (" + c.label() + "): " + problem);
            }
        }
        RawHttp.Answer health = RawHttp.exchange(base, ("GET /health HTTP/1.1\r\nHost: " + base.getRawAuthority()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), TIMEOUT);
        if (health.status() != 200 || health.micros() > HEALTH_LIMIT.toNanos() / 1000) {
            defects.add("/health afterwards: " + health.status() + " in " + health.micros() / 1000 + " ms");
        }
        String roomsAfter = Owner.get(base, cookie, "/api/rooms");
        if (!roomsAfter.equals(roomsBefore)) {
            defects.add("rooms changed (something was written): before " + roomsBefore + ", after " + roomsAfter);
        }
        String userAfter = Owner.get(base, cookie, "/api/session");
        if (!userAfter.equals(userBefore)) {
            defects.add("the live session changed: before " + userBefore + ", after " + userAfter);
        }
        Result r = new Result(seed, cases, statuses, defects, maxMicros);
        log.printf("fuzz: %d cases, answers by status %s, slowest %d ms, /health afterwards %d in %d ms%n", cases, statuses,
                maxMicros / 1000, health.status(), health.micros() / 1000);
        defects.stream().limit(50).forEach(d -> log.println("DEFECT " + d));
        log.println(r.ok() ? "fuzz: OK: every answer a 4xx JSON error, nothing written, the server kept serving (seed " + seed + ")"
                : "fuzz: FAILED: " + defects.size() + " defects (seed " + seed + ")");
        return r;
    }

    /** Why an answer breaks the contract, or null. */
    static String check(RawHttp.Answer a, String canary) {
        if (a.status() == -1) {
            return "no answer within " + TIMEOUT.toSeconds() + " s (hang)";
        }
        if (a.status() == -2) {
            return "connection closed without an answer: " + a.head();
        }
        if (a.status() < 400 || a.status() > 499) {
            return "status " + a.status() + (a.status() == 101 ? " (upgrade accepted)" : "") + ": " + excerpt(a.bodyText());
        }
        String type = a.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return a.status() + " with Content-Type " + type + ": " + excerpt(a.bodyText());
        }
        String body = a.bodyText();
        if (!ERROR_BODY.matcher(body).matches()) {
            return a.status() + " body is not {\"error\":...[,\"field\":...]}: " + excerpt(body);
        }
        if (body.toLowerCase(Locale.ROOT).contains(canary) || a.head().toLowerCase(Locale.ROOT).contains(canary)) {
            return a.status() + " reflects the input: " + excerpt(body);
        }
        if (STACK.matcher(body).find()) {
            return a.status() + " carries a stack trace: " + excerpt(body);
        }
        return null;
    }

    private static String excerpt(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Signs the fuzz run's owner in (the one well-formed sign-in of the run); returns the {@code Cookie} value. */
    static String signIn(URI url) {
        try (HttpClient http = Api.client()) {
            return new Api(http, url).signIn("fuzz-owner", Duration.ZERO, System.err::println);
        }
    }
}
