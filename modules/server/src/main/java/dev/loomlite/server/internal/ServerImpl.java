package dev.loomlite.server.internal;

import dev.loomlite.server.ChatServer;
import dev.loomlite.server.ServerConfig;
import dev.loomlite.webclient.WebClient;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The Javalin application: routes, error mapping, security headers and an ordered stop. */
public final class ServerImpl implements ChatServer {
    private static final System.Logger LOG = System.getLogger(ServerImpl.class.getName());
    /** Request bodies above this are refused with 413 before they are read. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ServerConfig config;
    private final Javalin app;
    /** Written by close() (any thread), read by request threads: turns /health and new work to 503. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServerImpl(ServerConfig config) {
        this.config = config;
        this.app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.http.prefer405over404 = true;
            cfg.staticFiles.add(static_ -> {
                static_.hostedPath = "/";
                static_.directory = WebClient.ROOT;
                static_.location = Location.CLASSPATH;
            });
            cfg.routes.before(SecurityHeaders::apply);
            cfg.routes.get("/health", this::health);
            ErrorMapping.install(cfg.routes);
        });
    }

    /** Starts on the configured host and port. */
    public static ServerImpl start(ServerConfig config) {
        ServerImpl server = new ServerImpl(config);
        server.app.start(config.host(), config.port());
        return server;
    }

    private void health(Context ctx) {
        if (draining.get()) {
            ctx.status(503).json(Map.of("status", "draining"));
        } else {
            ctx.json(Map.of("status", "up"));
        }
    }

    @Override
    public int port() {
        return app.port();
    }

    @Override
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining.set(true);
        LOG.log(Level.INFO, "stopping: draining requests for up to {0}", config.shutdownGrace());
        app.stop();
        LOG.log(Level.INFO, "stopped");
    }
}
