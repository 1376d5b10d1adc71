package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strace log reader, on logs whose calls other threads' calls interrupted (as under load). */
class SyscallTraceTest {
    static final String CLIENT = "12<TCP:[127.0.0.1:7070->127.0.0.1:50000]>";
    static final String WAL = "9</data/chat-0.db-wal>";

    @TempDir
    Path dir;

    @Test
    void an_interrupted_read_of_the_request_is_found_at_its_completion() throws Exception {
        SyscallTrace trace = trace(
                "101 read(" + CLIENT + ",  <unfinished ...>",
                "202 pwrite64(" + WAL + ", \"old\", 24, 0) = 24",
                "101 <... read resumed>\"POST /api/rooms/durable/messages HTTP/1.1\", 8192) = 40",
                "202 pwrite64(" + WAL + ", \"frame\", 4120, 32) = 4120",
                "202 fdatasync(" + WAL + ") = 0",
                "101 write(" + CLIENT + ", \"HTTP/1.1 201 Created\", 20) = 20");

        SyscallTrace.Exchange e = trace.exchange(50000, "POST /api/rooms/durable/messages", "HTTP/1.1 201", "/chat-");

        assertThat(e.walWrites()).hasSize(1);
        assertThat(e.commitSynced()).isTrue();
    }

    @Test
    void an_interrupted_sync_counts_when_it_completed_before_the_answer() throws Exception {
        SyscallTrace trace = trace(
                "101 read(" + CLIENT + ", \"POST /api/rooms/durable/messages HTTP/1.1\", 8192) = 40",
                "202 pwrite64(" + WAL + ", \"frame\", 4120, 32) = 4120",
                "202 fdatasync(" + WAL + " <unfinished ...>",
                "303 pwrite64(5</data/server.db-wal>, \"x\", 10, 0) = 10",
                "202 <... fdatasync resumed>) = 0",
                "101 write(" + CLIENT + ", \"HTTP/1.1 201 Created\", 20) = 20");

        SyscallTrace.Exchange e = trace.exchange(50000, "POST /api/rooms/durable/messages", "HTTP/1.1 201", "/chat-");

        assertThat(e.commitSynced()).isTrue();
        assertThat(trace.syncs()).hasSize(1);
    }

    @Test
    void a_sync_that_completed_after_the_answer_does_not_count() throws Exception {
        SyscallTrace trace = trace(
                "101 read(" + CLIENT + ", \"POST /api/rooms/durable/messages HTTP/1.1\", 8192) = 40",
                "202 pwrite64(" + WAL + ", \"frame\", 4120, 32) = 4120",
                "202 fdatasync(" + WAL + " <unfinished ...>",
                "101 write(" + CLIENT + ", \"HTTP/1.1 201 Created\", 20) = 20",
                "202 <... fdatasync resumed>) = 0");

        assertThat(trace.exchange(50000, "POST /api/rooms/durable/messages", "HTTP/1.1 201", "/chat-").commitSynced())
                .isFalse();
    }

    SyscallTrace trace(String... lines) throws Exception {
        Path log = dir.resolve("strace.log");
        Files.write(log, List.of(lines));
        return SyscallTrace.read(log);
    }
}
