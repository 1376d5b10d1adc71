package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.SyscallTrace.Call;
import dev.loomlite.server.SyscallTrace.Exchange;
import dev.loomlite.sqlite.Synchronous;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A message answered 201 is on disk under {@code FULL}, and only in the OS's cache under {@code NORMAL}: the
 * packaged server runs under {@code strace -f}, and the log shows, between reading the send request and writing
 * its 201, the writer thread's WAL frame writes and whether that thread fsynced the WAL after the last frame.
 * Both outcomes are asserted, so the test fails if FULL stops syncing and if NORMAL (or the way the log is read)
 * starts finding a sync that is not there. Also: no reader thread ever fsyncs. Skips where strace cannot run
 * unless {@code LOOMLITE_REQUIRE_STRACE} is set (CI).
 */
class DurableCommitIT {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void strace() {
        SyscallTrace.requireOrSkip();
    }

    @ParameterizedTest
    @EnumSource(Synchronous.class)
    void the_writer_fsyncs_the_wal_before_the_201_only_under_full(Synchronous level) throws Exception {
        int port = PackagedLaunchIT.freePort();
        Path log = dir.resolve("strace.log");
        Process strace = launch(port, level, log);
        Map<Long, String> threads;
        int clientPort;
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            String cookie = signIn(base, strace);
            post(base, cookie, "warm-1");                   // loads the send path's classes, opens the shard's WAL
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                clientPort = socket.getLocalPort();
                assertThat(rawPost(socket, port, cookie, "marked-1")).startsWith("HTTP/1.1 201");
            }
            threads = SyscallTrace.threadNames(strace.children().findFirst().orElseThrow().pid());
        } finally {
            strace.children().forEach(ProcessHandle::destroy); // SIGTERM to the server; strace exits with it
            if (!strace.waitFor(30, TimeUnit.SECONDS)) {
                strace.children().forEach(ProcessHandle::destroyForcibly);
                strace.destroyForcibly();
            }
        }
        SyscallTrace trace = SyscallTrace.read(log);

        Exchange send = trace.exchange(clientPort, "POST /api/rooms/durable/messages", "HTTP/1.1 201", "/chat-");
        Call frame = send.lastFrame();
        assertThat(threads.get(frame.tid())).as("thread that wrote the commit's WAL frames").startsWith("sqlite-writer");
        assertThat(send.commitSynced()).as("%s: the writer fsynced %s between its last frame and the 201; syncs then: %s;"
                        + " threads: %s; the trace from the request to the answer:%n%s", level, frame.file(),
                send.syncsAfterLastFrame(), threads, trace.excerpt(send.requestLine(), send.answerLine()))
                .isEqualTo(level == Synchronous.FULL);
        assertThat(trace.syncs()).as("syncs by reader threads").noneMatch(s ->
                threads.getOrDefault(s.tid(), "").startsWith("sqlite-reader"));
    }

    static Process launch(int port, Synchronous level, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> server = new ArrayList<>(List.of(java, "@" + PackagedLaunchIT.ARGS,
                "-p", PackagedLaunchIT.LIB.toString(), "-m", "dev.loomlite.server",
                "--port", Integer.toString(port), "--data", log.getParent().resolve("data").toString(),
                "--synchronous", level.name()));
        return new ProcessBuilder(SyscallTrace.command(log, server))
                .redirectErrorStream(true)
                .redirectOutput(log.resolveSibling("server.log").toFile())
                .start();
    }

    String signIn(URI base, Process strace) throws Exception {
        long deadline = System.nanoTime() + PackagedLaunchIT.START_TIMEOUT.toNanos();
        while (true) {
            if (!strace.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(dir.resolve("server.log")));
            }
            try {
                HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("/api/session"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"durable\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (session.statusCode() == 503 && System.nanoTime() < deadline) {
                    strace.waitFor(100, TimeUnit.MILLISECONDS); // bound, but its gate not open yet ("starting")
                    continue;
                }
                assertThat(session.statusCode()).as(session.body()).isEqualTo(200);
                return session.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("server did not answer within " + PackagedLaunchIT.START_TIMEOUT, notYet);
                }
                strace.waitFor(100, TimeUnit.MILLISECONDS); // the port is not bound yet
            }
        }
    }

    void post(URI base, String cookie, String clientId) throws Exception {
        HttpResponse<String> sent = http.send(HttpRequest.newBuilder(base.resolve("/api/rooms/durable/messages"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body(clientId))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
    }

    /** One HTTP/1.1 exchange on a connection of our own, so its local port names it in the trace. */
    static String rawPost(Socket socket, int port, String cookie, String clientId) throws IOException {
        socket.setSoTimeout(10_000);
        byte[] body = body(clientId).getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/rooms/durable/messages HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nCookie: " + cookie
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    static String body(String clientId) {
        return "{\"clientId\":\"" + clientId + "\",\"content\":\"on disk before the answer?\"}";
    }
}
