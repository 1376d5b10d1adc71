package dev.loomlite.cluster.internal;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.MessageHandler;
import io.nats.client.Subscription;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The subscriptions of a {@link NatsLink}: kept from the moment they are made, attached to the connection at its first
 * connect (or at once when it already connected); after that jnats restores them on every reconnect by itself. One
 * dispatcher per name, created on first use, its loop thread named after it. Thread-safe: everything under one lock,
 * taken by subscribing and closing threads and by the jnats callback thread at the first connect.
 *
 * <pre>{@code
 * LinkSubscriptions.Subscribed s = subscriptions.add("loomlite-nats-rooms", "loomlite.room.5.general", handler);
 * subscriptions.connected(connection);   // at the first connect: attaches s
 * s.close();                             // unsubscribes; idempotent
 * }</pre>
 */
final class LinkSubscriptions {
    private static final System.Logger LOG = System.getLogger(LinkSubscriptions.class.getName());
    static final int PENDING_MESSAGES = 65_536;
    static final long PENDING_BYTES = 64L * 1024 * 1024;

    private final String node;
    private final NatsThreads threads;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Subscribed> live = new LinkedHashSet<>();          // guarded by lock
    private final Map<String, Dispatcher> dispatchers = new HashMap<>();  // guarded by lock
    private Connection connection;   // guarded by lock: null until the first connect
    private boolean closed;          // guarded by lock

    LinkSubscriptions(String node, NatsThreads threads) {
        this.node = node;
        this.threads = threads;
    }

    /** Subscribes now if connected, else at the first connect. */
    Subscribed add(String dispatcher, String subject, MessageHandler handler) {
        Subscribed s = new Subscribed(dispatcher, subject, handler);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("NATS link of node " + node + " is closed: cannot subscribe " + subject);
            }
            live.add(s);
            if (connection != null) {
                s.attach();
            }
        } finally {
            lock.unlock();
        }
        return s;
    }

    /**
     * The connection connected (CONNECTED, or RECONNECTED after a first attempt that failed).
     *
     * @return whether this was its first connect (the subscriptions made so far were attached now)
     */
    boolean connected(Connection c) {
        lock.lock();
        try {
            if (closed || connection != null) {
                return false;
            }
            connection = c;
            for (Subscribed s : live) {
                s.attach();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every subscription (the connection's close ends them at the broker). */
    void close() {
        lock.lock();
        try {
            closed = true;
            live.clear();
        } finally {
            lock.unlock();
        }
    }

    // Under the lock, with a connection.
    private Dispatcher dispatcher(String name) {
        return dispatchers.computeIfAbsent(name, n -> {
            Dispatcher d = threads.naming(n, connection::createDispatcher);
            d.setPendingLimits(PENDING_MESSAGES, PENDING_BYTES);
            return d;
        });
    }

    /** One subscription; closing it unsubscribes (idempotent, any thread). */
    final class Subscribed implements AutoCloseable {
        private final String dispatcher;
        private final String subject;
        private final MessageHandler handler;
        private Subscription subscription;   // guarded by lock: set once attached
        private boolean done;                // guarded by lock

        private Subscribed(String dispatcher, String subject, MessageHandler handler) {
            this.dispatcher = dispatcher;
            this.subject = subject;
            this.handler = handler;
        }

        // Under the lock, with a connection.
        private void attach() {
            if (subscription == null && !done) {
                subscription = dispatcher(dispatcher).subscribe(subject, handler);
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (done) {
                    return;
                }
                done = true;
                live.remove(this);
                if (subscription != null && !closed) {
                    dispatchers.get(dispatcher).unsubscribe(subscription);
                }
            } catch (IllegalStateException e) {
                // The connection is down or closing: jnats dropped the subscription locally, so no reconnect restores it.
                LOG.log(Level.DEBUG, "unsubscribe of " + subject + " while the link is down: " + e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }
}
