package dev.loomlite.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load tool against a real server started in-process on port 0, for a few seconds with tiny settings. */
class E2eLoadTest {
    @TempDir
    Path dir;

    private ChatServer server() {
        return ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(dir.resolve("data"))
                .withSendLimit(100_000, 100_000).withSignInLimit(10_000, 10_000));
    }

    private static LoadOptions options(ChatServer server, Path out, String... more) {
        String[] base = {"--url", server.uri().toString(), "--duration", "2", "--warmup", "1", "--rooms", "2",
                "--senders", "4", "--subscribers-per-room", "3", "--message-size", "40",
                "--server-pid", Long.toString(ProcessHandle.current().pid()), "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return LoadOptions.parse(all);
    }

    @Test
    void a_short_run_acknowledges_delivers_verifies_and_reports_every_message() throws Exception {
        try (ChatServer server = server()) {
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            Path out = dir.resolve("out");
            Summary s = E2eLoad.run(options(server, out), new PrintStream(progress, true, StandardCharsets.UTF_8));
            Report.write(s, out);

            assertThat(s.verdict().problems()).isEmpty();
            assertThat(s.verdict().ok()).isTrue();
            assertThat(s.ackedTotal()).isPositive().isEqualTo(s.enqueuedTotal()).isEqualTo(s.verdict().ackedMessages());
            assertThat(s.rejectedTotal()).isZero();
            assertThat(s.deliveriesTotal()).isEqualTo(s.ackedTotal() * 3);
            assertThat(s.verdict().historyMessages()).isEqualTo(s.ackedTotal());
            assertThat(s.serverCpuMicrosPerAck()).isPresent();
            assertThat(progress.toString(StandardCharsets.UTF_8)).contains("measure]", "acks", "deliveries");
            assertThat(Files.readString(out.resolve("summary.json")))
                    .contains("\"acknowledged\": " + s.acked(), "\"verdict\": {\"ok\": true", "\"seconds\": [");
            assertThat(Files.readString(out.resolve("report.html")))
                    .contains("<svg", "Verdict: OK", "Latency histogram").doesNotContain("<script src", "https://");
        }
    }

    @Test
    void a_second_run_on_the_same_rooms_starts_after_the_first_without_compression_over_the_socket_client() throws Exception {
        try (ChatServer server = server()) {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            Summary first = E2eLoad.run(options(server, dir.resolve("a")), quiet);
            Summary second = E2eLoad.run(options(server, dir.resolve("b"), "--compression", "off", "--rate", "40", "--http", "socket"), quiet);

            assertThat(first.verdict().ok()).isTrue();
            assertThat(second.verdict().problems()).isEmpty();
            assertThat(second.verdict().historyMessages()).isEqualTo(second.ackedTotal());
            assertThat(second.deliveriesTotal()).isEqualTo(second.ackedTotal() * 3);
        }
    }

    @Test
    void two_urls_with_shards_split_delivery_latency_into_same_node_and_cross_node() throws Exception {
        try (ChatServer server = server()) {
            // Two URLs naming the one server (a trailing slash): by the rule, rooms load-0 and load-1 (shards 7 and 1
            // of 12) are "owned" by node 1, so subscriber 1 of each room is same-node and subscribers 0 and 2 cross-node.
            String pid = Long.toString(ProcessHandle.current().pid());
            String slash = server.uri().toString();
            Path out = dir.resolve("nodes");
            Summary s = E2eLoad.run(options(server, out, "--url", slash.substring(0, slash.length() - 1) + "," + slash, "--shards", "12",
                    "--server-pid", pid + "," + pid), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            Report.write(s, out);

            assertThat(s.verdict().problems()).isEmpty();
            Summary.Split split = s.split().orElseThrow();
            assertThat(split.sameNode().count()).isPositive();
            assertThat(split.crossNode().count()).isPositive();
            assertThat(split.sameNode().count() + split.crossNode().count()).isEqualTo(s.deliveries());
            assertThat(s.servers()).hasSize(2);
            assertThat(Report.text(s)).contains("same-node", "cross-node", "  pid " + pid);
            assertThat(Files.readString(out.resolve("summary.json")))
                    .contains("\"sameNodeDeliveryLatencyMs\"", "\"crossNodeDeliveryLatencyMs\"", "\"serverProcesses\": [{\"pid\": " + pid);
            assertThat(Files.readString(out.resolve("report.html"))).contains("same-node", "cross-node");
        }
    }

    @Test
    void raw_sends_without_the_outbox_are_verified_the_same_way() throws Exception {
        try (ChatServer server = server()) {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            Summary s = E2eLoad.run(options(server, dir.resolve("raw"), "--transport", "raw", "--http", "socket"), quiet);

            assertThat(s.verdict().problems()).isEmpty();
            assertThat(s.ackedTotal()).isPositive().isEqualTo(s.enqueuedTotal());
            assertThat(s.deliveriesTotal()).isEqualTo(s.ackedTotal() * 3);
        }
    }

    @Test
    void subscribers_resume_after_the_server_restarts_mid_run_and_nothing_is_lost_or_repeated() throws Exception {
        ChatServer first = server();
        int port = first.port();
        CountDownLatch secondTwo = new CountDownLatch(1);
        PrintStream watch = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                if (line.startsWith("[   2s")) {
                    secondTwo.countDown();
                }
            }
        };
        LoadOptions o = options(first, dir.resolve("restart"), "--duration", "5", "--http", "socket");
        try (ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Summary> run = runner.submit(() -> E2eLoad.run(o, watch));
            try {
                assertThat(secondTwo.await(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                first.close(); // streams get a reset and 1001; sends in flight finish or fail and are retried
            }
            try (ChatServer second = ChatServer.start(ServerConfig.defaults().withPort(port).withDataDir(dir.resolve("data"))
                    .withSendLimit(100_000, 100_000).withSignInLimit(10_000, 10_000))) {
                Summary s = run.get(60, TimeUnit.SECONDS);

                assertThat(s.verdict().problems()).isEmpty();
                assertThat(s.reconnects()).isGreaterThanOrEqualTo(6); // every subscriber came back
                assertThat(s.ackedTotal() + s.rejectedTotal()).isEqualTo(s.enqueuedTotal());
                // A send given up on may still have been stored (its answer lost in the restart): history may hold it.
                assertThat(s.verdict().historyMessages()).isBetween(s.ackedTotal(), s.enqueuedTotal());
            }
        }
    }
}
