package dev.loomlite.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input fault run's short form (CI): a fixed seed's requests against a real server on port 0, then the rows
 * of its SQLite files after a clean stop. {@code faults/bad-input.sh} runs the long form against the packaged server.
 */
class InputFuzzerTest {
    static final long SEED = 20261202L;
    static final int CASES = 600;

    @TempDir
    Path data;

    private ChatServer start() {
        return ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data)
                .withSendLimit(100_000, 100_000).withSignInLimit(10_000, 10_000));
    }

    @Test
    void bad_input_gets_4xx_json_errors_and_writes_nothing() throws Exception {
        String cookie;
        try (ChatServer server = start()) {
            cookie = InputFuzzer.signIn(server.uri());
            Owner.sendOne(server.uri(), cookie);
        }
        RowCounts before = RowCounts.of(data);

        InputFuzzer.Result result;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ChatServer server = start()) {
            result = InputFuzzer.fuzz(server.uri(), cookie, SEED, CASES, new PrintStream(log, true, StandardCharsets.UTF_8));
        }

        assertThat(result.defects()).as(log.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(result.statuses().keySet()).allMatch(status -> status >= 400 && status < 500);
        assertThat(RowCounts.of(data)).isEqualTo(before);
        assertThat(before.messages()).isEqualTo(1);
        assertThat(before.sessions()).isEqualTo(1);
    }

    @Test
    void an_answer_that_reflects_the_input_is_a_defect() {
        RawHttp.Answer echo = new RawHttp.Answer(400, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json",
                "{\"error\":\"bad room qzx123\"}".getBytes(StandardCharsets.UTF_8), 1);

        assertThat(InputFuzzer.check(echo, "qzx123")).contains("reflects the input");
    }

    @Test
    void a_server_error_is_a_defect() {
        RawHttp.Answer failure = new RawHttp.Answer(500, "HTTP/1.1 500 Server Error\r\nContent-Type: application/json",
                "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8), 1);

        assertThat(InputFuzzer.check(failure, "qzx123")).startsWith("status 500");
    }

    @Test
    void the_same_seed_makes_the_same_requests() {
        java.net.URI base = java.net.URI.create("http://127.0.0.1:1");
        FuzzCases a = new FuzzCases(base, "loomlite_session=abcdef", 7);
        FuzzCases b = new FuzzCases(base, "loomlite_session=abcdef", 7);
        for (int i = 0; i < 200; i++) {
            assertThat(b.next().request()).isEqualTo(a.next().request());
        }
    }
}
