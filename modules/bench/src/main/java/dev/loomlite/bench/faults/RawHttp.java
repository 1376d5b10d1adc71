package dev.loomlite.bench.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a fresh socket, with the request given as raw bytes (so that it may be anything: invalid
 * UTF-8 in the path, forged headers, a WebSocket upgrade) and {@code Connection: close}. The answer is read until the
 * server closes, or until its {@code Content-Length}; a 101 is returned at its head.
 */
final class RawHttp {
    private static final int MAX_ANSWER = 1 << 20;

    /** What came back: a status (-1: no answer within the timeout, -2: closed without an answer), headers, body. */
    record Answer(int status, String head, byte[] body, long micros) {
        boolean answered() {
            return status > 0;
        }

        String header(String name) {
            String prefix = "\r\n" + name.toLowerCase(Locale.ROOT) + ":";
            String lower = head.toLowerCase(Locale.ROOT);
            int at = lower.indexOf(prefix);
            if (at < 0) {
                return null;
            }
            int end = head.indexOf("\r\n", at + prefix.length());
            return head.substring(at + prefix.length(), end < 0 ? head.length() : end).strip();
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    static Answer exchange(URI base, byte[] request, Duration timeout) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), start);
        } catch (SocketTimeoutException e) {
            return new Answer(-1, "", new byte[0], (System.nanoTime() - start) / 1000);
        } catch (IOException e) {
            return new Answer(-2, e.toString(), new byte[0], (System.nanoTime() - start) / 1000);
        }
    }

    private static Answer read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int headEnd = -1;
        byte[] buffer = new byte[8192];
        while (headEnd < 0) {
            int n = in.read(buffer);
            if (n < 0) {
                return new Answer(-2, "closed without an answer", all.toByteArray(), (System.nanoTime() - start) / 1000);
            }
            all.write(buffer, 0, n);
            headEnd = indexOf(all.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] bytes = all.toByteArray();
        String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(bytes, headEnd + 4, bytes.length - headEnd - 4);
        if (status != 101) {
            Answer partial = new Answer(status, head, new byte[0], 0);
            String length = partial.header("Content-Length");
            long expected = length == null ? Long.MAX_VALUE : Long.parseLong(length);
            for (int n = 0; body.size() < expected && body.size() < MAX_ANSWER && (n = in.read(buffer)) >= 0; ) {
                body.write(buffer, 0, n);
            }
        }
        byte[] content = body.toByteArray();
        if ("chunked".equalsIgnoreCase(new Answer(status, head, content, 0).header("Transfer-Encoding"))) {
            content = unchunk(content);
        }
        return new Answer(status, head, content, (System.nanoTime() - start) / 1000);
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at, "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        return indexOf(bytes, 0, part);
    }

    private static int indexOf(byte[] bytes, int from, byte[] part) {
        outer:
        for (int i = from; i <= bytes.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
