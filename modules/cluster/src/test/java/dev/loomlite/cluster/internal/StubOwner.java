package dev.loomlite.cluster.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in owner for {@link OwnerClient} tests: plain HTTP/1.1 over a loopback socket, answering each request as a
 * test says (a full response, or nothing at all), and recording what it received.
 *
 * <pre>{@code
 * try (StubOwner owner = StubOwner.answering(request -> StubOwner.response(201, "{}"))) { owner.uri(); }
 * }</pre>
 */
final class StubOwner implements AutoCloseable {
    /** One request as received: the request line, the headers in lower case, the body. */
    record Request(String line, List<String> headers, String body) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.startsWith(prefix)).map(h -> h.substring(prefix.length()).strip())
                    .findFirst().orElse(null);
        }
    }

    private final ServerSocket socket;
    private final Function<Request, String> answer;
    final List<Request> received = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private StubOwner(Function<Request, String> answer) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer;
        this.acceptor = Thread.ofVirtual().name("stub-owner").start(this::accept);
    }

    /** A stub whose answer to each request is what {@code answer} returns (null: never answer). */
    static StubOwner answering(Function<Request, String> answer) {
        try {
            return new StubOwner(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String response(int status, String body, String... headers) {
        StringBuilder r = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        return r.append("\r\n").append(body).toString();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().name("stub-owner-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (true) {
                String line = readLine(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                List<String> headers = new java.util.ArrayList<>();
                int length = 0;
                for (String h = readLine(in); h != null && !h.isEmpty(); h = readLine(in)) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    headers.add(lower.substring(0, lower.indexOf(':') + 1) + h.substring(h.indexOf(':') + 1));
                    if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(h.indexOf(':') + 1).strip());
                    }
                }
                Request request = new Request(line, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
                received.add(request);
                String response = answer.apply(request);
                if (response == null) {
                    in.read(); // never answer: hold the connection until the client gives up
                    return;
                }
                out.write(response.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor.interrupt();
    }
}
