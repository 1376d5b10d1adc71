package dev.loomlite.cluster.internal;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's one connection to the NATS brokers of its map (design §8.1). It connects in the background, so a node
 * starts while the broker is down, and reconnects forever; nothing is buffered while disconnected (a publish then
 * fails at once and the caller counts a drop: followers repair from the owner). Subscriptions made before the first
 * connect are made at it ({@link LinkSubscriptions}). Every thread it runs is named ({@link NatsThreads}). Thread-safe.
 *
 * <pre>{@code
 * try (NatsLink link = NatsLink.connect(NatsLink.Settings.of(map.nats(), "n1"))) {
 *     link.onSignal(signal -> probes.soon());               // connected, reconnected, resubscribed, slow consumer
 *     LinkSubscriptions.Subscribed sub = link.subscribe("loomlite-nats-rooms", "loomlite.room.5.general", handler);
 *     link.publish("loomlite.room.5.general", body);        // IllegalStateException while disconnected
 * }
 * }</pre>
 */
final class NatsLink implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NatsLink.class.getName());
    /** The smallest max payload cluster mode publishes under: one message is at most ~13 KiB of JSON. */
    static final long MIN_MAX_PAYLOAD = 32 * 1024;
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(2);

    /** Where the connection is. */
    enum State { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

    /** Moments after which a follower may have missed payloads: each triggers an immediate anti-entropy probe. */
    enum Signal { CONNECTED, RECONNECTED, RESUBSCRIBED, SLOW_CONSUMER }

    /**
     * How to connect.
     *
     * @param servers       the map's {@code nats} list
     * @param nodeId        this node (the connection's name is {@code loomlite-<node>})
     * @param reconnectWait the pause between reconnect rounds (250 ms; jitter 100 ms is added)
     */
    record Settings(List<URI> servers, String nodeId, Duration reconnectWait) {
        Settings {
            servers = List.copyOf(servers);
            Objects.requireNonNull(nodeId, "nodeId");
            if (servers.isEmpty() || reconnectWait.isNegative()) {
                throw new IllegalArgumentException("a NATS link of node " + nodeId + " needs at least one server and"
                        + " reconnectWait >= 0, was " + servers + " and " + reconnectWait);
            }
        }

        static Settings of(List<URI> servers, String nodeId) {
            return new Settings(servers, nodeId, Duration.ofMillis(250));
        }
    }

    private final Settings settings;
    private final NatsThreads threads;
    private final LinkSubscriptions subscriptions;
    private final Thread connector;
    private final CopyOnWriteArrayList<java.util.function.Consumer<Signal>> signalListeners =
            new CopyOnWriteArrayList<>();
    private final AtomicLong discarded = new AtomicLong();       // jnats callback thread writes, any thread reads
    private final AtomicLong slowConsumers = new AtomicLong();   // jnats callback thread writes, any thread reads
    // Set once by the jnats connect or callback thread, from the connection's first event (before it connected): close
    // needs it to end the retries. Read by any thread.
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private volatile boolean connected;   // written once by the jnats callback thread (first connect), read by any
    private final AtomicBoolean closed = new AtomicBoolean();

    private NatsLink(Settings settings) {
        this.settings = settings;
        this.threads = new NatsThreads(settings.nodeId());
        this.subscriptions = new LinkSubscriptions(settings.nodeId(), threads);
        Options options = options();
        // What Nats.connectAsynchronously(options, true) does, on a thread we name: a connect that treats the first
        // attempt like a reconnect and so loops until a broker answers or the connection is closed.
        this.connector = threads.factory("connector").newThread(() -> connectForever(options));
    }

    /** Starts connecting in the background and returns at once. */
    static NatsLink connect(Settings settings) {
        NatsLink link = new NatsLink(settings);
        link.connector.start();
        return link;
    }

    private Options options() {
        return Options.builder()
                .servers(settings.servers().stream().map(URI::toString).toArray(String[]::new))
                .connectionName("loomlite-" + settings.nodeId())
                .maxReconnects(-1)
                .reconnectWait(settings.reconnectWait())
                .reconnectJitter(Duration.ofMillis(100))
                .connectionTimeout(Duration.ofSeconds(1))
                .pingInterval(Duration.ofSeconds(2))
                .maxPingsOut(2)
                .reconnectBufferSize(0)
                .maxMessagesInOutgoingQueue(65_536)
                .discardMessagesWhenOutgoingQueueFull()
                .executor(threads)
                .scheduledExecutor(threads.timers())
                .callbackThreadFactory(threads.factory("callback"))
                .connectThreadFactory(threads.factory("connect"))
                .connectionListener(this::connectionEvent)
                .errorListener(new Errors())
                .build();
    }

    // The connector thread.
    private void connectForever(Options options) {
        try {
            connection.compareAndSet(null, Nats.connectReconnectOnConnect(options));
        } catch (InterruptedException e) {
            LOG.log(Level.DEBUG, "NATS connect of node " + settings.nodeId() + " interrupted (closing)");
        } catch (Exception e) {
            if (!closed.get()) {
                LOG.log(Level.ERROR, "NATS connect of node " + settings.nodeId() + " to " + settings.servers()
                        + " gave up: fan-out is off, followers run on probes alone", e);
            }
        }
    }

    // jnats callback thread. A first connect that failed and then succeeded is reported as RECONNECTED, not CONNECTED:
    // whichever comes first attaches the subscriptions made so far.
    private void connectionEvent(Connection c, ConnectionListener.Events event) {
        connection.compareAndSet(null, c);
        switch (event) {
            case CONNECTED, RECONNECTED -> signal(firstConnect(c) ? Signal.CONNECTED : Signal.RECONNECTED);
            case RESUBSCRIBED -> signal(Signal.RESUBSCRIBED);
            default -> { }
        }
        boolean notable = switch (event) {
            case CONNECTED, RECONNECTED, CLOSED, LAME_DUCK -> true;
            default -> false;
        };
        LOG.log(notable ? Level.INFO : Level.DEBUG, "NATS link of node " + settings.nodeId() + ": " + event + " ("
                + c.getConnectedUrl() + ")");
    }

    private boolean firstConnect(Connection c) {
        if (!subscriptions.connected(c)) {
            return false;
        }
        connected = true;
        if (c.getMaxPayload() < MIN_MAX_PAYLOAD) {
            LOG.log(Level.ERROR, "NATS broker " + c.getConnectedUrl() + " allows payloads of " + c.getMaxPayload()
                    + " bytes, below " + MIN_MAX_PAYLOAD + ": node " + settings.nodeId() + " publishes nothing;"
                    + " followers run on probes alone");
        }
        return true;
    }

    private void signal(Signal signal) {
        for (java.util.function.Consumer<Signal> l : signalListeners) {
            try {
                l.accept(signal);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a NATS signal listener failed on " + signal, e);
            }
        }
    }

    /** Calls {@code listener} (on a jnats callback thread; it must return at once) at every {@link Signal}. */
    void onSignal(java.util.function.Consumer<Signal> listener) {
        signalListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    State state() {
        Connection c = connection.get();
        if (closed.get()) {
            return State.CLOSED;
        }
        if (!connected || c == null) {
            return State.CONNECTING;
        }
        return c.getStatus() == Connection.Status.CONNECTED ? State.CONNECTED : State.RECONNECTING;
    }

    /** The broker's max payload, once connected. */
    OptionalLong maxPayload() {
        Connection c = connection.get();
        return connected && c != null ? OptionalLong.of(c.getMaxPayload()) : OptionalLong.empty();
    }

    /** Publishes dropped by jnats because its outgoing queue was full (instead of blocking the publisher). */
    long discarded() {
        return discarded.get();
    }

    long slowConsumers() {
        return slowConsumers.get();
    }

    /**
     * Hands {@code body} to the connection's writer; never blocks.
     *
     * @throws IllegalStateException    when not connected (never yet, reconnecting or closed): nothing is buffered
     * @throws IllegalArgumentException when {@code body} exceeds the broker's max payload
     */
    void publish(String subject, byte[] body) {
        Connection c = connection.get();
        if (!connected || c == null) {
            throw new IllegalStateException("NATS link of node " + settings.nodeId() + " is not connected yet");
        }
        c.publish(subject, body);
    }

    /**
     * Waits up to {@code timeout} until the broker has seen everything sent so far (subscriptions included).
     *
     * @return false when not connected or the broker did not answer in time
     */
    boolean flush(Duration timeout) {
        Connection c = connection.get();
        if (state() != State.CONNECTED) {
            return false;
        }
        try {
            c.flush(timeout);
            return true;
        } catch (TimeoutException | IllegalStateException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while flushing the NATS link of node " + settings.nodeId(), e);
        }
    }

    /**
     * Subscribes {@code subject} on the dispatcher named {@code dispatcher} (its loop thread carries that name): now if
     * connected, else at the first connect. Never throws for an outage. Closing the result unsubscribes; idempotent.
     */
    LinkSubscriptions.Subscribed subscribe(String dispatcher, String subject, MessageHandler handler) {
        return subscriptions.add(dispatcher, subject, handler);
    }

    /** Stops reconnecting, closes the connection and its threads; bounded (about 2 s at worst). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.close();
        long deadline = System.nanoTime() + CLOSE_BOUND.toNanos();
        try {
            Connection c = connection.get();
            if (c != null) {
                c.close();   // also ends a connect loop that never reached a broker
            }
            // A close that came before the connection's first event: jnats hands the connection object over with the
            // first failed attempt (or the connect), so close it as soon as it appears.
            connector.interrupt();
            while (connector.isAlive() && System.nanoTime() < deadline) {
                Connection late = connection.get();
                if (c == null && late != null) {
                    c = late;
                    c.close();
                }
                connector.join(Duration.ofMillis(20));
            }
            if (!threads.stop(Math.max(0, (deadline - System.nanoTime()) / 1_000_000)) || connector.isAlive()) {
                LOG.log(Level.WARNING, "NATS link of node " + settings.nodeId() + ": threads still running after "
                        + CLOSE_BOUND.toMillis() + " ms; abandoned (daemon threads)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
            throw new IllegalStateException("interrupted while closing the NATS link of node " + settings.nodeId(), e);
        }
    }

    /** jnats' error listener: counts what the publisher and probes care about, logs the rest quietly. */
    private final class Errors implements ErrorListener {
        @Override
        public void exceptionOccurred(Connection c, Exception e) {
            connection.compareAndSet(null, c);
            LOG.log(Level.DEBUG, "NATS link of node " + settings.nodeId() + ": " + e);
        }

        @Override
        public void errorOccurred(Connection c, String error) {
            connection.compareAndSet(null, c);
            LOG.log(Level.WARNING, "NATS link of node " + settings.nodeId() + ": broker error " + error);
        }

        @Override
        public void slowConsumerDetected(Connection c, Consumer consumer) {
            slowConsumers.incrementAndGet();
            LOG.log(Level.WARNING, "NATS link of node " + settings.nodeId() + ": slow consumer, "
                    + consumer.getDroppedCount() + " messages dropped so far; probing at once");
            signal(Signal.SLOW_CONSUMER);
        }

        @Override
        public void messageDiscarded(Connection c, Message message) {
            discarded.incrementAndGet();
        }
    }
}
