package dev.loomlite.bench.load;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket connection of a {@link Subscriber}; it ends once, then the subscriber decides whether to reconnect.
 * Public only because Jetty binds listener methods through a public lookup; not an API.
 */
public final class WsConnection implements Session.Listener.AutoDemanding {
    private final Subscriber subscriber;
    private final AtomicBoolean over = new AtomicBoolean();
    // Written by Jetty when the upgrade succeeded, before any other callback of this connection.
    private volatile boolean opened;

    WsConnection(Subscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        opened = true;
        subscriber.opened(s);
    }

    @Override
    public void onWebSocketText(String frame) {
        subscriber.frame(frame);
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        end(code, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        subscriber.failed(cause);
        end(-1, String.valueOf(cause));
    }

    private void end(int code, String reason) {
        if (opened && over.compareAndSet(false, true)) {
            subscriber.ended(code, reason); // a failed upgrade is retried by whoever called connect()
        }
    }
}
