package dev.loomlite.bench.load;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One WebSocket connection of a {@link Subscriber}; it ends once, then the subscriber decides whether to reconnect.
 * Public only because Jetty binds listener methods through a public lookup; not an API.
 */
public final class WsConnection implements Session.Listener.AutoDemanding {
    private static final byte CONTINUATION = 0x0;
    private static final byte TEXT = 0x1;
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

    /**
     * Frames arrive here (data frames inflated) instead of as Strings: the subscriber scans the bytes of text frames
     * and their continuations; control frames (close, ping) are Jetty's business.
     */
    @Override
    public void onWebSocketFrame(Frame frame, Callback callback) {
        byte op = frame.getOpCode();
        if (op == TEXT || op == CONTINUATION) {
            subscriber.frame(frame.getPayload(), frame.isFin());
        }
        callback.succeed();
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
