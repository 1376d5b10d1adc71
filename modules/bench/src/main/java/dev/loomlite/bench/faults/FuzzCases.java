package dev.loomlite.bench.faults;

import dev.loomlite.bench.load.Api;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bad requests of {@link InputFuzzer}, made from a seed: every one is wrong in at least one way the server must
 * refuse (no session or a forged one, a body that is not valid input, a bad room id or cursor, a foreign origin, a
 * malformed request), so that no answer but a 4xx is right and nothing may be written. Each case carries a canary,
 * a token placed in its input that must never come back in the answer (the server must not reflect raw input).
 *
 * <p>Never generated, because they are valid and would write: a sign-in with a valid name, a send with a valid
 * session, room, content type and body, a sign-out with the valid session, an upgrade with the session and a
 * same-origin (or no) {@code Origin}.
 */
final class FuzzCases {
    /** One request: what it tries, its raw bytes, its canary. */
    record Case(String label, byte[] request, String canary) {
    }

    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    private static final String[] FOREIGN_ORIGINS = {"https://evil.example", "null", "http://127.0.0.1.evil.example",
            "file://", "http://localhost:1", "https://[::1]:9", "http://127.0.0.1:1@evil.example"};

    private final URI base;
    private final String validCookie;
    private final SplittableRandom random;

    /** @param validCookie a live session's {@code Cookie} value, used only together with another defect */
    FuzzCases(URI base, String validCookie, long seed) {
        this.base = base;
        this.validCookie = validCookie;
        this.random = new SplittableRandom(seed);
    }

    Case next() {
        String canary = "qzx" + HexFormat.of().toHexDigits(random.nextLong()).substring(0, 10);
        return switch (random.nextInt(10)) {
            case 0 -> signIn(canary);
            case 1 -> session(canary);
            case 2 -> send(canary, true);
            case 3 -> send(canary, false);
            case 4 -> history(canary);
            case 5 -> upgrade(canary);
            case 6 -> rooms(canary);
            case 7 -> metrics(canary);
            case 8 -> malformed(canary);
            default -> send(canary, random.nextBoolean());
        };
    }

    /** {@code POST /api/session} with a body that is never a valid sign-in, with any cookie. */
    private Case signIn(String canary) {
        Body body = pick(List.of(
                () -> new Body("malformed JSON", malformedJson(canary)),
                () -> new Body("wrong type", json("{\"name\":" + wrongType(canary) + "}")),
                () -> new Body("missing name", json("{\"nom\":\"" + canary + "\"}")),
                () -> new Body("name too long", json("{\"name\":\"" + canary + "x".repeat(40) + "\"}")),
                () -> new Body("blank name", json("{\"name\":\"   \\t \"}")),
                () -> new Body("control character", json("{\"name\":\"" + canary + "\\u0007\"}")),
                () -> new Body("lone surrogate", json("{\"name\":\"" + canary + "\\ud800\"}")),
                () -> new Body("bidi override", json("{\"name\":\"" + canary + "\\u202e\"}")),
                () -> new Body("invalid UTF-8", concat(ascii("{\"name\":\"" + canary), new byte[] {(byte) 0xC3, 0x28}, ascii("\"}"))),
                () -> new Body("huge", json("{\"name\":\"" + canary + "a".repeat(70_000) + "\"}"))));
        String cookie = pickCookie(canary, true);
        return request("sign-in: " + body.what + ", " + cookieName(cookie), "POST", "/api/session", cookie,
                contentType(false), null, body.bytes, canary);
    }

    /** {@code GET} or {@code DELETE /api/session} without a live session. */
    private Case session(String canary) {
        String cookie = pickCookie(canary, false);
        boolean delete = random.nextBoolean();
        String path = delete && random.nextBoolean() ? "/api/session?userId=" + canary : "/api/session";
        return request((delete ? "sign-out" : "who am I") + ": " + cookieName(cookie), delete ? "DELETE" : "GET",
                path, cookie, null, null, new byte[0], canary);
    }

    /** {@code POST /api/rooms/{room}/messages}: with the live session always with a defect; without, anything. */
    private Case send(String canary, boolean withSession) {
        String cookie = withSession ? validCookie : pickCookie(canary, false);
        boolean badRoom = random.nextInt(4) == 0;
        String room = badRoom ? badRoom(canary) : "fuzz-" + random.nextInt(3);
        boolean badType = random.nextInt(6) == 0;
        Body body;
        if (withSession && !badRoom && !badType) {
            body = invalidMessage(canary);
        } else {
            body = random.nextBoolean() ? invalidMessage(canary)
                    : new Body("valid unicode-heavy body", json("{\"clientId\":\"" + canary + "\",\"content\":\""
                    + unicodeHeavy(canary) + "\"}"));
        }
        return request("send: " + body.what + (badRoom ? ", bad room" : "") + (badType ? ", bad content type" : "")
                        + ", " + cookieName(cookie), "POST", "/api/rooms/" + room + "/messages", cookie,
                contentType(badType), null, body.bytes, canary);
    }

    /** {@code GET /api/rooms/{room}/messages}: a bad room or cursor with the session, or no session. */
    private Case history(String canary) {
        boolean withSession = random.nextBoolean();
        String cookie = withSession ? validCookie : pickCookie(canary, false);
        boolean badRoom = !withSession || random.nextBoolean();
        String room = badRoom ? badRoom(canary) : "fuzz-0";
        String query = badRoom && random.nextBoolean() ? "?after=0" : "?" + badQuery(canary);
        return request("history: " + (badRoom ? "bad room " : "") + query + ", " + cookieName(cookie), "GET",
                "/api/rooms/" + room + "/messages" + query, cookie, null, null, new byte[0], canary);
    }

    /** A WebSocket upgrade that must be refused: foreign origin, bad room or cursor, or no session. */
    private Case upgrade(String canary) {
        boolean withSession = random.nextBoolean();
        String cookie = withSession ? validCookie : pickCookie(canary, false);
        String origin = random.nextInt(3) > 0 || withSession && random.nextBoolean()
                ? FOREIGN_ORIGINS[random.nextInt(FOREIGN_ORIGINS.length)] : null;
        String room = origin == null && withSession || random.nextInt(4) == 0 ? badRoom(canary) : "fuzz-0";
        String after = random.nextInt(4) == 0 ? badQuery(canary).replaceFirst("^[a-z]+=", "after=") : "after=0";
        if (withSession && origin == null && !room.startsWith("fuzz")) {
            after = "after=0"; // the bad room is the defect
        }
        String extra = (origin == null ? "" : "Origin: " + origin + "\r\n") + UPGRADE;
        return request("upgrade: origin " + origin + ", room " + (room.startsWith("fuzz") ? "ok" : "bad") + ", " + after
                        + ", " + cookieName(cookie), "GET", "/api/rooms/" + room + "/events?" + after, cookie, null,
                extra, new byte[0], canary);
    }

    private Case rooms(String canary) {
        String cookie = pickCookie(canary, false);
        return request("rooms: " + cookieName(cookie), "GET", "/api/rooms", cookie, null, null, new byte[0], canary);
    }

    /** {@code /metrics} of a request a proxy forwarded (never local): 403 without a token. */
    private Case metrics(String canary) {
        String header = pick(List.of(() -> "X-Forwarded-For: 10.0.0." + random.nextInt(255), () -> "Forwarded: for=" + canary,
                () -> "X-Real-IP: 127.0.0.1", () -> "X-Forwarded-Host: " + canary + ".example"));
        return request("metrics: " + header.replace(canary, "<canary>"), "GET", "/metrics", null, null,
                header + "\r\n", new byte[0], canary);
    }

    /** Requests malformed as HTTP, or to no route. */
    private Case malformed(String canary) {
        return switch (random.nextInt(7)) {
            case 0 -> raw("invalid UTF-8 in the path", concat(ascii("GET /api/rooms/"), new byte[] {(byte) 0xFF, (byte) 0xC0},
                    ascii(canary + "/messages HTTP/1.1\r\nHost: h\r\nCookie: " + validCookie + "\r\nConnection: close\r\n\r\n")), canary);
            case 1 -> request("encoded slash and dots", "GET", "/api/rooms/%2e%2e%2F" + canary + "/messages", validCookie,
                    null, null, new byte[0], canary);
            case 2 -> request("NUL in the path", "GET", "/api/rooms/" + canary + "%00/messages", validCookie, null, null, new byte[0], canary);
            case 3 -> request("unknown route", "GET", "/api/" + canary, validCookie, null, null, new byte[0], canary);
            case 4 -> request("wrong method", pick(List.of(() -> "PUT", () -> "PATCH", () -> "DELETE")), "/api/rooms", validCookie,
                    null, null, new byte[0], canary);
            case 5 -> request("URI too long", "GET", "/api/rooms/fuzz-0/messages?after=0&x=" + canary + "a".repeat(20_000),
                    validCookie, null, null, new byte[0], canary);
            default -> request("huge header", "GET", "/api/session", validCookie, null,
                    "X-Fill: " + canary + "b".repeat(20_000) + "\r\n", new byte[0], canary);
        };
    }

    private Body invalidMessage(String canary) {
        String content = unicodeHeavy(canary);
        return pick(List.of(
                () -> new Body("malformed JSON", malformedJson(canary)),
                () -> new Body("clientId of a wrong type", json("{\"clientId\":" + wrongType(canary) + ",\"content\":\"" + content + "\"}")),
                () -> new Body("content of a wrong type", json("{\"clientId\":\"" + canary + "\",\"content\":" + wrongType(canary) + "}")),
                () -> new Body("replyToId of a wrong type", json("{\"clientId\":\"" + canary + "\",\"content\":\"x\",\"replyToId\":"
                        + pick(List.of(() -> "\"" + canary + "\"", () -> "1.5", () -> "9e99", () -> "[]", () -> "true")) + "}")),
                () -> new Body("invalid clientId", json("{\"clientId\":\"" + pick(List.of(() -> "", () -> canary + " space",
                        () -> canary + "x".repeat(64), () -> "../" + canary, () -> canary + "é", () -> canary + "\\u0000"))
                        + "\",\"content\":\"" + content + "\"}")),
                () -> new Body("missing clientId", json("{\"content\":\"" + content + "\"}")),
                () -> new Body("missing content", json("{\"clientId\":\"" + canary + "\"}")),
                () -> new Body("blank content", json("{\"clientId\":\"" + canary + "\",\"content\":\" \\n\\t \"}")),
                () -> new Body("content too long", json("{\"clientId\":\"" + canary + "\",\"content\":\"" + "字".repeat(4001) + "\"}")),
                () -> new Body("control character", json("{\"clientId\":\"" + canary + "\",\"content\":\"a\\u0001b\"}")),
                () -> new Body("lone surrogate", json("{\"clientId\":\"" + canary + "\",\"content\":\"" + content
                        + pick(List.of(() -> "\\ud83d", () -> "\\udc00x", () -> "\\udfff\\ud800")) + "\"}")),
                () -> new Body("invalid UTF-8", concat(ascii("{\"clientId\":\"" + canary + "\",\"content\":\"a"),
                        pick(List.of(() -> new byte[] {(byte) 0xFF}, () -> new byte[] {(byte) 0xC0, (byte) 0xAF},
                                () -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, () -> new byte[] {(byte) 0xE2, 0x28, (byte) 0xA1})),
                        ascii("\"}"))),
                () -> new Body("body over 64 KiB", json("{\"clientId\":\"" + canary + "\",\"content\":\"" + "y".repeat(70_000) + "\"}"))));
    }

    private byte[] malformedJson(String canary) {
        return json(pick(List.of(
                () -> "{\"clientId\":\"" + canary + "\",\"content\":\"ab",
                () -> "{\"clientId\":\"" + canary + "\",\"content\":\"ok\"} trailing",
                () -> "{\"clientId\":\"" + canary + "\"}{\"content\":\"x\"}",
                () -> "\"" + canary + "\"",
                () -> "42",
                () -> "null",
                () -> "[\"" + canary + "\"]",
                () -> "",
                () -> "{'clientId':'" + canary + "'}",
                () -> "{clientId:\"" + canary + "\"}",
                () -> "{\"name\":\"" + canary + "\" /* comment */}",
                () -> "{\"content\":NaN,\"clientId\":\"" + canary + "\"}",
                () -> "\uFEFF{\"name\":\"" + canary + "\"",
                () -> "[".repeat(5000) + "\"" + canary + "\"" + "]".repeat(5000),
                () -> "{\"a\":".repeat(3000) + "1" + "}".repeat(3000))));
    }

    private String wrongType(String canary) {
        return pick(List.of(() -> "123", () -> "true", () -> "[\"" + canary + "\"]", () -> "{\"v\":\"" + canary + "\"}",
                () -> "1.5", () -> "-0", () -> "1e400"));
    }

    /** Valid content, heavy on what text handling gets wrong: astral characters, combining marks, RTL, zero-width. */
    private String unicodeHeavy(String canary) {
        StringBuilder b = new StringBuilder(canary);
        String[] parts = {"😀", "👩‍👩‍👧", "é", "e\u0301", "ﷺ", "עברית", "\u200b", "\u2028", "𝕏", "\\u00e9", "\\\"", "\\\\", "<script>", "'; DROP TABLE messages; --"};
        for (int i = 0, n = 1 + random.nextInt(60); i < n; i++) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.toString();
    }

    private String badRoom(String canary) {
        return pick(List.of(() -> canary.toUpperCase(), () -> "-" + canary, () -> canary + "x".repeat(64), () -> "r%20" + canary,
                () -> "caf%C3%A9-" + canary, () -> "%F0%9F%98%80" + canary, () -> canary + "_", () -> canary + "%2Fx", () -> "%2e%2e"));
    }

    private String badQuery(String canary) {
        return pick(List.of(() -> "after=-1", () -> "after=" + canary, () -> "after=99999999999999999999", () -> "limit=0",
                () -> "limit=501", () -> "limit=1.5", () -> "after=1&before=2", () -> "before=" + canary, () -> "after=%00",
                () -> "after=+1", () -> "limit=" + canary));
    }

    /** No cookie, a forged one, garbage, or (for sign-ins, whose body is always invalid) the live one. */
    private String pickCookie(String canary, boolean validAllowed) {
        int n = random.nextInt(validAllowed ? 6 : 5);
        return switch (n) {
            case 0 -> null;
            case 1 -> Api.COOKIE + "=" + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
            case 2 -> Api.COOKIE + "=" + canary + "\"; other=" + canary;
            case 3 -> Api.COOKIE + "=" + validCookie.substring(validCookie.indexOf('=') + 1, validCookie.length() - 2) + "zz";
            case 4 -> "other=" + canary;
            default -> validCookie;
        };
    }

    private String cookieName(String cookie) {
        return cookie == null ? "no cookie" : cookie.equals(validCookie) ? "live session" : "forged cookie";
    }

    private String contentType(boolean bad) {
        return bad ? pick(List.of(() -> "text/plain", () -> "application/json; charset=latin1", () -> "application/x-www-form-urlencoded"))
                : "application/json";
    }

    private Case request(String label, String method, String path, String cookie, String contentType, String extraHeaders,
                         byte[] body, String canary) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getRawAuthority()).append("\r\nConnection: close\r\n");
        if (cookie != null) {
            head.append("Cookie: ").append(cookie).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (extraHeaders != null) {
            head.append(extraHeaders);
        }
        if (body.length > 0 || method.equals("POST")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return new Case(label, concat(head.toString().getBytes(StandardCharsets.UTF_8), body), canary);
    }

    private static Case raw(String label, byte[] request, String canary) {
        return new Case(label, request, canary);
    }

    private record Body(String what, byte[] bytes) {
    }

    private <T> T pick(List<java.util.function.Supplier<T>> options) {
        return options.get(random.nextInt(options.size())).get();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
