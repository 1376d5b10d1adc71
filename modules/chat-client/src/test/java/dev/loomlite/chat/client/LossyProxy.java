package dev.loomlite.chat.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a server that loses the reply to the first connection's request: it forwards
 * the request, waits for the server's answer to start, records its status line and closes the client's connection
 * without forwarding a byte of it (what a dropped connection or a crashed middlebox does after the server acted).
 * Every later connection is forwarded both ways untouched.
 *
 * <pre>{@code
 * try (LossyProxy proxy = LossyProxy.to(server.uri())) {
 *     Transport http = HttpTransport.create(proxy.uri(), cookie);
 *     ...
 *     assertThat(proxy.lostReply()).startsWith("HTTP/1.1 201");
 * }
 * }</pre>
 */
final class LossyProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    // Completed by the first connection's downstream thread; read by the test.
    private final CompletableFuture<String> lostReply = new CompletableFuture<>();
    // Written and read by the accepting thread only: connections accepted so far.
    private int connections;
    // Added to by the accepting thread; close() closes them all (closing one twice is harmless).
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private LossyProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    /** A proxy to the server at {@code target} ({@code http://host:port/}). */
    static LossyProxy to(URI target) {
        try {
            return new LossyProxy(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        try {
            return new URI("http", null, listener.getInetAddress().getHostAddress(), listener.getLocalPort(), "/", null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status line of the reply that was lost, once it was (waits up to 10 s). */
    String lostReply() throws Exception {
        return lostReply.get(10, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(server);
                int n = ++connections;
                Thread.ofVirtual().name("proxy-up-" + n).start(() -> pump(client, server));
                Thread.ofVirtual().name("proxy-down-" + n).start(n == 1 ? () -> lose(server, client) : () -> pump(server, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Copies {@code from} to {@code to} until either side ends. */
    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // One side closed: the other is closed below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Reads the server's reply up to its status line, then closes both connections without forwarding it. */
    private void lose(Socket server, Socket client) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            InputStream in = server.getInputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                head.write(b);
            }
            lostReply.complete(head.toString(StandardCharsets.ISO_8859_1).strip());
        } catch (IOException e) {
            lostReply.completeExceptionally(e);
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(LossyProxy::closeQuietly);
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the proxy's accepting thread ended", e);
        }
        lostReply.completeExceptionally(new IllegalStateException("proxy closed before a reply was lost"));
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }
}
