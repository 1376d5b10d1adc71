package dev.loomlite.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Session tokens: the random secret a client holds in its cookie, and the SHA-256 under which the server stores
 * and caches it (a copy of the database opens no session).
 *
 * <pre>{@code
 * String token = tokens.issue();                           // 43 characters of base64url: 256 random bits
 * if (SessionTokens.wellFormed(cookie)) { row = byHash(SessionTokens.hash(cookie)); }
 * }</pre>
 */
final class SessionTokens {
    /** 32 random bytes in unpadded base64url. */
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** Thread-safe: request threads share it. */
    private final SecureRandom random = new SecureRandom();

    /** A new random token, never issued before (with overwhelming probability). */
    String issue() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether {@code token} has the shape of one {@link #issue()} makes; false for null. */
    static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /** The lowercase hex SHA-256 of {@code token}: what the database and the cache key sessions by. */
    /**
     * The CRC32 of a token hash's bytes: its home shard is this modulo the shard count
     * ({@link dev.loomlite.chat.spi.Placement#shardOf}, the same hash as a room's).
     */
    static long homeKey(String tokenHash) {
        CRC32 crc = new CRC32();
        crc.update(tokenHash.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    /** Whether {@code hash} looks like one of {@link #hash}'s: 64 lowercase hex digits. */
    static boolean wellFormedHash(String hash) {
        return hash != null && HASH.matcher(hash).matches();
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
