package dev.loomlite.bench.faults;

import dev.loomlite.bench.load.Api;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpCookie;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The helper process of {@code faults/slow-subscribers.sh}: opens WebSocket subscribers to a running server that will
 * stop taking what the server sends, then holds them until it is killed. Two kinds:
 * <ul>
 *   <li>{@code stalled}: raw sockets that complete the upgrade (cookie, a same-origin {@code Origin}) and never read
 *       another byte: a client stuck in its own code. The process stays alive and keeps the sockets open.</li>
 *   <li>{@code frozen}: well-behaved subscribers (Jetty's client: they read every frame and answer pings) whose process
 *       the script then stops with SIGSTOP: a client that vanished without closing. What loopback cannot simulate: the
 *       stopped process's kernel still acknowledges data until its receive buffer is full, where a vanished host
 *       acknowledges nothing and the server's kernel would retransmit and, after ~15 minutes, reset the connection.
 *       Either way the server sees a subscriber that takes no more frames and never answers a ping.</li>
 * </ul>
 * Both ask for a small receive buffer ({@code --rcvbuf}, default 8 KiB) so that the buffers between the server and
 * them fill within seconds of traffic instead of minutes: that shortens the run, it changes nothing the server sees.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.loomlite.bench.faults.StuckSubscribers --url http://127.0.0.1:7070 --mode stalled \
 *     --rooms load-0,load-1 --per-room 5
 * }</pre>
 *
 * Prints {@code ready N} once all N are open, then nothing; exits 3 if the setup fails.
 */
public final class StuckSubscribers {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private StuckSubscribers() {
    }

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        String cookie;
        Map<String, Long> lastSeqs;
        // Closed before the subscribers connect: the script counts this process's connections as stuck subscribers.
        try (java.net.http.HttpClient http = Api.client()) {
            Api api = new Api(http, a.url());
            cookie = api.signIn("stuck-" + a.mode() + "-" + ProcessHandle.current().pid(), Duration.ZERO, System.err::println);
            lastSeqs = api.lastSeqs(cookie);
        } catch (IllegalStateException e) {
            System.err.println("stuck subscribers: setup failed: " + e.getMessage());
            System.exit(3);
            return;
        }
        List<AutoCloseable> held = new ArrayList<>();
        WebSocketClient ws = a.mode().equals("frozen") ? client(a) : null;
        for (String room : a.rooms()) {
            for (int i = 0; i < a.perRoom(); i++) {
                long after = lastSeqs.getOrDefault(room, 0L);
                held.add(ws == null ? stalled(a, room, cookie, after) : frozen(ws, a, room, cookie, after));
            }
        }
        System.out.println("ready " + held.size());
        System.out.flush();
        new CountDownLatch(1).await(); // held until the script kills the process
    }

    /** A raw socket that reads the 101 answer of its upgrade and nothing after it. */
    private static Socket stalled(Args a, String room, String cookie, long after) throws IOException {
        URI url = a.url();
        Socket socket = new Socket();
        socket.setReceiveBufferSize(a.rcvbuf()); // before connecting, so that the window is negotiated small
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        String request = "GET /api/rooms/" + room + "/events?after=" + after + " HTTP/1.1\r\n"
                + "Host: " + url.getRawAuthority() + "\r\n"
                + "Origin: " + url.getScheme() + "://" + url.getRawAuthority() + "\r\n"
                + "Cookie: " + cookie + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("upgrade to " + room + " refused: " + head.lines().findFirst().orElse(""));
        }
        return socket;
    }

    /** The response head, byte by byte, so that nothing after it is consumed. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** A reading subscriber on Jetty's client (which answers pings), until the process is stopped. */
    private static AutoCloseable frozen(WebSocketClient ws, Args a, String room, String cookie, long after)
            throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        URI url = a.url();
        request.setHeader("Origin", url.getScheme() + "://" + url.getRawAuthority());
        int eq = cookie.indexOf('=');
        request.setCookies(List.of(new HttpCookie(cookie.substring(0, eq), cookie.substring(eq + 1))));
        URI events = URI.create("ws://" + url.getRawAuthority() + "/api/rooms/" + room + "/events?after=" + after);
        Session session = ws.connect(new Reader(), events, request).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return () -> session.close(1000, "bye", Callback.NOOP);
    }

    /** One WebSocket client for the frozen subscribers, with the small receive buffer. */
    private static WebSocketClient client(Args a) throws Exception {
        HttpClient http = new HttpClient();
        http.getClientConnector().setReceiveBufferSize(a.rcvbuf());
        WebSocketClient ws = new WebSocketClient(http);
        ws.setMaxTextMessageSize(16 << 20);
        ws.setIdleTimeout(Duration.ofHours(1));
        ws.start();
        return ws;
    }

    /** Reads and drops every frame: a subscriber that keeps up until its process stops. Public for Jetty's lookup. */
    public static final class Reader implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            // dropped
        }
    }

    /** The command line. */
    record Args(URI url, String mode, List<String> rooms, int perRoom, int rcvbuf) {
        static final String USAGE = "Usage: StuckSubscribers --url URL --mode stalled|frozen --rooms R1,R2,... "
                + "[--per-room N (5)] [--rcvbuf BYTES (8192)]";

        Args {
            if (!mode.equals("stalled") && !mode.equals("frozen")) {
                throw new IllegalArgumentException("--mode must be stalled or frozen, was " + mode + "\n" + USAGE);
            }
            if (rooms.isEmpty() || perRoom < 1 || perRoom > 10_000 || rcvbuf < 1024) {
                throw new IllegalArgumentException("need rooms, --per-room 1..10000, --rcvbuf >= 1024\n" + USAGE);
            }
        }

        static Args parse(String[] args) {
            String url = null;
            String mode = null;
            String rooms = "";
            int perRoom = 5;
            int rcvbuf = 8192;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--url" -> url = args[i + 1];
                    case "--mode" -> mode = args[i + 1];
                    case "--rooms" -> rooms = args[i + 1];
                    case "--per-room" -> perRoom = Integer.parseInt(args[i + 1]);
                    case "--rcvbuf" -> rcvbuf = Integer.parseInt(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
                }
            }
            if (url == null || mode == null || args.length % 2 != 0) {
                throw new IllegalArgumentException(USAGE);
            }
            return new Args(URI.create(url), mode, rooms.isEmpty() ? List.of() : List.of(rooms.split(",")), perRoom, rcvbuf);
        }
    }
}
