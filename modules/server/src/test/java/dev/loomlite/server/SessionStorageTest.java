package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomlite.server.internal.ServerImpl;
import dev.loomlite.server.internal.Tuning;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sessions database keeps across restarts: renewals, sign-outs, the purge, and the upgrade of old files. */
class SessionStorageTest {
    static final Duration IDLE = Duration.ofDays(1);
    @TempDir
    Path data;
    final TestClock clock = new TestClock();

    ServerImpl start() {
        return ServerImpl.start(ServerConfig.defaults().withPort(0).withDataDir(data)
                .withSessions(SessionPolicy.defaults().withLifetime(IDLE, Duration.ofDays(3))), Tuning.defaults().withClock(clock));
    }

    @Test
    void a_renewed_session_stays_renewed_after_a_restart() {
        Client alice;
        try (ServerImpl first = start()) {
            alice = Client.signedIn(first.uri(), "alice");
            clock.advance(Duration.ofHours(20));
            alice.get("/api/session");
        }
        clock.advance(Duration.ofHours(20));

        try (ServerImpl second = start()) {
            Client after = new Client(second.uri());
            after.cookie = alice.cookie;
            assertThat(after.get("/api/session").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_signed_out_session_stays_signed_out_after_a_restart() {
        Client bob;
        try (ServerImpl first = start()) {
            bob = Client.signedIn(first.uri(), "bob");
            assertThat(bob.delete("/api/session").statusCode()).isEqualTo(204);
        }

        try (ServerImpl second = start()) {
            Client after = new Client(second.uri());
            after.cookie = bob.cookie;
            assertThat(after.get("/api/session").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void ended_sessions_are_deleted_at_startup() throws Exception {
        Client carol;
        try (ServerImpl first = start()) {
            Client.signedIn(first.uri(), "ended");
            clock.advance(Duration.ofHours(12));
            carol = Client.signedIn(first.uri(), "carol");
        }
        assertThat(SessionRows.count(data)).isEqualTo(2);
        clock.advance(Duration.ofHours(13)); // "ended" was last used 25 hours ago, carol 13

        try (ServerImpl second = start()) {
            assertThat(SessionRows.count(data)).isEqualTo(1);
            assertThat(SessionRows.lastSeenAt(data, carol.cookie)).isPresent();
        }
    }

    @Test
    void a_session_stored_before_expiry_existed_stays_valid_after_the_upgrade() throws Exception {
        String token = "legacy-token-0123456789-abcdefghijklmnopqrs";
        try (Connection c = SessionRows.open(data); Statement s = c.createStatement()) {
            // Version 1 of the schema, as released before sessions expired.
            s.execute("CREATE TABLE session(token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, "
                    + "created_at INTEGER NOT NULL) WITHOUT ROWID");
            s.execute("CREATE INDEX session_user ON session(user_id)");
            s.execute("PRAGMA user_version = 1");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO session VALUES (?, 'u-legacy', 'old-timer', ?)")) {
                insert.setString(1, SessionRows.tokenHash("loomlite_session=" + token));
                insert.setLong(2, clock.millis() - Duration.ofDays(2).toMillis()); // signed in two days ago, use unknown
                insert.executeUpdate();
            }
        }

        try (ServerImpl server = start()) {
            Client legacy = new Client(server.uri());
            legacy.cookie = "loomlite_session=" + token;

            assertThat(Client.json(legacy.get("/api/session")).path("userId").asText()).isEqualTo("u-legacy");
        }
    }

    @Test
    void sessions_stored_before_homes_existed_get_their_home_key_and_new_ones_are_written_with_it() throws Exception {
        String token = "legacy-token-0123456789-abcdefghijklmnopqrs";
        try (Connection c = SessionRows.open(data); Statement s = c.createStatement()) {
            // Version 3 of the schema, as released before sessions had a home in a cluster.
            s.execute("CREATE TABLE session(token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, "
                    + "created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL DEFAULT 0, used INTEGER NOT NULL"
                    + " DEFAULT 1) WITHOUT ROWID");
            s.execute("PRAGMA user_version = 3");
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO session(token_hash, user_id, name, created_at, last_seen_at) VALUES (?, 'u-old', 'old', ?, ?)")) {
                insert.setString(1, SessionRows.tokenHash("loomlite_session=" + token));
                insert.setLong(2, clock.millis());
                insert.setLong(3, clock.millis());
                insert.executeUpdate();
            }
        }

        try (ServerImpl server = start()) {
            Client.signedIn(server.uri(), "newcomer");
        }

        try (Connection c = SessionRows.open(data); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT token_hash, home_key FROM session")) {
            int rows = 0;
            while (rs.next()) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(rs.getString(1).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(rs.getLong(2)).as("home_key of %s", rs.getString(1)).isEqualTo(crc.getValue());
                rows++;
            }
            assertThat(rows).isEqualTo(2);
        }
    }
}
