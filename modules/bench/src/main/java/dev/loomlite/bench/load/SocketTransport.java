package dev.loomlite.bench.load;

import dev.loomlite.chat.ChatMessage;
import dev.loomlite.chat.SendResult;
import dev.loomlite.chat.client.OutgoingMessage;
import dev.loomlite.chat.client.Transport;
import dev.loomlite.chat.client.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * {@code --http socket}: a minimal HTTP/1.1 {@link Transport} over one keep-alive socket of its own (blocking I/O
 * on the caller's virtual thread), for when {@code java.net.http} (the real {@code HttpTransport}) costs the load
 * tool more CPU than the server it measures. Same request and the same answers as {@code HttpTransport}: 200/201
 * give the stored message (its {@code epoch} 1 when the server sent none), other statuses a {@link TransportException} with {@code Retry-After}. A request that
 * fails on a reused connection before any answer byte is sent once more on a new one (sends are idempotent by
 * client id). Contents are the tool's own ASCII words: the body is not escaped. One call at a time (locked).
 */
final class SocketTransport implements Transport, AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;
    private final String host;
    private final int port;
    private final String head;
    // Guarded by this: the connection and its buffer, used by one send at a time.
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] buf = new byte[8192];
    private int len;

    SocketTransport(URI base, String cookie) {
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
        this.head = "Host: " + host + ":" + port + "\r\nCookie: " + cookie
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ";
    }

    @Override
    public synchronized SendResult send(OutgoingMessage m) {
        byte[] body = ("{\"clientId\":\"" + m.clientId() + "\",\"content\":\"" + m.content() + "\""
                + (m.replyToId().isPresent() ? ",\"replyToId\":" + m.replyToId().getAsLong() : "") + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST /api/rooms/" + m.roomId() + "/messages HTTP/1.1\r\n" + head + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; ; attempt++) {
            boolean reused = socket != null;
            try {
                open();
                out.write(request);
                out.write(body);
                out.flush();
                return answer(m);
            } catch (IOException e) {
                boolean nothingRead = len == 0;
                close();
                if (!(reused && nothingRead && attempt == 0)) {
                    throw TransportException.network("no response from " + host + ":" + port + ": " + e, e);
                }
            }
        }
    }

    private SendResult answer(OutgoingMessage m) throws IOException {
        len = 0;
        int headEnd;
        while ((headEnd = indexOf("\r\n\r\n", 0)) < 0) {
            fill();
        }
        String headers = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        String lower = headers.toLowerCase(java.util.Locale.ROOT);
        int start = headEnd + 4;
        String body;
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            body = chunked(start);
        } else {
            int length = Integer.parseInt(header(lower, "content-length", "0"));
            while (len < start + length) {
                fill();
            }
            body = new String(buf, start, length, StandardCharsets.UTF_8);
        }
        if (lower.contains("\r\nconnection: close")) {
            close();
        }
        len = 0;
        if (status == 200 || status == 201) {
            return new SendResult(new ChatMessage(number(body, "messageId"), m.roomId(), number(body, "seq"), m.clientId(),
                    text(body, "authorId"), text(body, "author"), m.content(), m.replyToId(),
                    Instant.parse(text(body, "createdAt")), epoch(body)), status == 200);
        }
        String reason = "HTTP " + status + ": " + (body.contains("\"error\":\"") ? text(body, "error") : "");
        String retryAfter = header(lower, "retry-after", "");
        return retryAfter.isEmpty() ? throwing(TransportException.http(status, reason))
                : throwing(TransportException.http(status, reason, Duration.ofSeconds(Long.parseLong(retryAfter.strip()))));
    }

    private static SendResult throwing(TransportException e) {
        throw e;
    }

    private String chunked(int start) throws IOException {
        StringBuilder b = new StringBuilder();
        int at = start;
        while (true) {
            int eol;
            while ((eol = indexOf("\r\n", at)) < 0) {
                fill();
            }
            int size = Integer.parseInt(new String(buf, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            at = eol + 2;
            while (len < at + size + 2) {
                fill();
            }
            if (size == 0) {
                return b.toString();
            }
            b.append(new String(buf, at, size, StandardCharsets.UTF_8));
            at += size + 2;
        }
    }

    private static String header(String lowerHeaders, String name, String otherwise) {
        int at = lowerHeaders.indexOf("\r\n" + name + ":");
        if (at < 0) {
            return otherwise;
        }
        int end = lowerHeaders.indexOf("\r\n", at + 2);
        return lowerHeaders.substring(at + name.length() + 3, end < 0 ? lowerHeaders.length() : end).strip();
    }

    private static long number(String json, String field) {
        int at = json.indexOf("\"" + field + "\":") + field.length() + 3;
        long v = 0;
        while (at < json.length() && Character.isDigit(json.charAt(at))) {
            v = v * 10 + (json.charAt(at++) - '0');
        }
        return v;
    }

    /** The stored message's epoch, its last field; a server that predates epochs sends none, which means 1. */
    static long epoch(String json) {
        return json.contains("\"epoch\":") ? number(json, "epoch") : 1;
    }

    private static String text(String json, String field) {
        int at = json.indexOf("\"" + field + "\":\"") + field.length() + 4;
        return json.substring(at, json.indexOf('"', at));
    }

    private int indexOf(String pattern, int from) {
        outer:
        for (int i = from; i <= len - pattern.length(); i++) {
            for (int k = 0; k < pattern.length(); k++) {
                if (buf[i + k] != pattern.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void fill() throws IOException {
        if (len == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
            throw new IOException("connection closed by the server after " + len + " bytes of an answer");
        }
        len += n;
    }

    private void open() throws IOException {
        len = 0;
        if (socket == null) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MS);
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket = s;
            in = s.getInputStream();
            out = new java.io.BufferedOutputStream(s.getOutputStream(), 4096);
        }
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is best effort.
            }
            socket = null;
        }
    }
}
