package dev.loomlite.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Reads the sessions table of a data folder's {@code server.db} with plain JDBC, beside the running server (WAL lets
 * a reader in): what the server really wrote, not what it answers.
 */
final class SessionRows {
    private SessionRows() {
    }

    /** The stored last use of the cookie's session, in epoch milliseconds; empty when no such row. */
    static OptionalLong lastSeenAt(Path data, String cookie) throws SQLException {
        try (Connection c = open(data);
             PreparedStatement s = c.prepareStatement("SELECT last_seen_at FROM session WHERE token_hash = ?")) {
            s.setString(1, tokenHash(cookie));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** How many sessions are stored. */
    static long count(Path data) throws SQLException {
        try (Connection c = open(data);
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM session");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The SHA-256 (hex) of the token in a {@code loomlite_session=<token>} cookie, as the server stores it. */
    static String tokenHash(String cookie) {
        try {
            String token = cookie.substring(cookie.indexOf('=') + 1);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Connection open(Path data) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("server.db"));
    }
}
