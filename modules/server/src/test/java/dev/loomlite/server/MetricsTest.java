package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    static Client alice;

    @BeforeAll
    static void start() throws Exception {
        alice = Client.signedIn(server.uri(), "alice");
        alice.sendMessage("metrics", "m-1", "counted");
        alice.get("/api/rooms/metrics/messages");
        alice.get("/no/such/page");
        alice.subscribe("metrics", 0);
    }


    @Test
    void metrics_are_prometheus_text() {
        HttpResponse<String> response = alice.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        for (String line : response.body().split("\n")) {
            assertThat(line).as(line).matches("# (HELP|TYPE) \\w+ .+|\\w+(\\{(\\w+=\"[^\"]*\",?)+\\})? ([-+0-9.eE]+|\\+Inf)");
        }
    }

    @Test
    void metrics_cover_the_pool_lanes_and_group_commits() {
        String body = alice.get("/metrics").body();

        assertThat(body).contains("loomlite_pool_queue_depth{database=", "lane=\"write\"", "lane=\"read\"",
                "loomlite_pool_tasks_completed_total{", "loomlite_pool_tasks_failed_total{", "loomlite_pool_tasks_rejected_total{",
                "loomlite_pool_tasks_timed_out_total{", "loomlite_pool_wait_seconds{", "quantile=\"0.99\"",
                "loomlite_pool_exec_seconds_count{", "loomlite_pool_commit_batch_size_count");
    }

    @Test
    void metrics_cover_chat_http_and_websockets() {
        String body = alice.get("/metrics").body();

        assertThat(sample(body, "loomlite_chat_sends_total{outcome=\"accepted\"}")).isGreaterThanOrEqualTo(1);
        assertThat(sample(body, "loomlite_ws_subscribers")).isGreaterThanOrEqualTo(1);
        assertThat(body).contains("loomlite_http_requests_total{route=\"/api/rooms/{roomId}/messages\",method=\"POST\",status=\"201\"} 1");
        assertThat(body).contains("loomlite_http_request_duration_seconds_bucket{route=\"/api/rooms/{roomId}/messages\",method=\"GET\",le=\"+Inf\"}");
        assertThat(body).contains("route=\"unmatched\"").doesNotContain("/no/such/page");
        assertThat(body).contains("loomlite_http_rate_limited_total 0");
    }

    /** The value of one sample line in {@code body}. */
    static double sample(String body, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
        if (!m.find()) {
            throw new AssertionError("no sample " + series + " in\n" + body);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The value of one sample, read from the server's /metrics now. */
    static double sample(Client client, String series) {
        return sample(client.get("/metrics").body(), series);
    }
}
