package dev.loomlite.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server on port 0 over a fresh data folder, shared by the tests of one class: started before the class's
 * own {@code @BeforeAll} methods, closed after its last test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RunningServer server = new RunningServer();
 * @RegisterExtension
 * static final RunningServer page = RunningServer.forBrowsers();   // skips the class without Chromium
 * }</pre>
 */
final class RunningServer implements BeforeAllCallback, AfterAllCallback {
    // Written by JUnit's beforeAll on the test thread; read by the tests of the class afterwards.
    private ChatServer server;
    private Path data;
    private final boolean browsers;

    RunningServer() {
        this(false);
    }

    private RunningServer(boolean browsers) {
        this.browsers = browsers;
    }

    /** For browser tests: skips the class (or fails it under CI) before starting anything when Chromium is missing. */
    static RunningServer forBrowsers() {
        return new RunningServer(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (browsers) {
            Browser.requireOrSkip();
        }
        try {
            data = Files.createTempDirectory("loomlite-server-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server == null) {
            return; // skipped before it started
        }
        server.close();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    URI uri() {
        return server.uri();
    }

    int port() {
        return server.port();
    }

    /** The server's data folder (its SQLite files). */
    Path data() {
        return data;
    }
}
