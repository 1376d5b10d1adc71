package dev.loomlite.server;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the server from the command line and stops it gracefully on SIGTERM or Ctrl-C.
 *
 * <pre>{@code
 * java --enable-preview --enable-native-access=org.xerial.sqlitejdbc -p lib -m dev.loomlite.server --port 7070
 * }</pre>
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerConfig config;
        try {
            config = ServerConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("loomlite: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChatServer server;
        try {
            server = ChatServer.start(config);
        } catch (RuntimeException e) {
            // Port taken, data folder unusable, database locked by another process: say so, without a stack trace.
            LOG.log(Level.DEBUG, "start failed", e);
            System.err.println("loomlite: cannot start on " + config.host() + ":" + config.port() + " with data in "
                    + config.dataDir().toAbsolutePath() + ": " + rootMessage(e));
            System.exit(1);
            return;
        }
        LOG.log(Level.INFO, "Loomlite serving {0} with data in {1}", server.uri(), config.dataDir().toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        // The hook runs on the JVM's shutdown thread: drain within the grace, then let the JVM exit.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("loomlite-shutdown").unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
