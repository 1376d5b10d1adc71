package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the distribution that {@code package} builds the way an operator does: {@code bin/loomlite} from the
 * unpacked archive (through a symlink, from another working directory) on its own jlink runtime when built with
 * {@code -Pjlink} (else on a JDK 25 it finds), and from {@code target/loomlite} on the JDK that {@code JAVA_HOME} names. Each serves the page and the JSON API and ends
 * normally on SIGTERM, which must reach the JVM itself (the launcher execs it).
 */
class DistributionLaunchIT {
    static final Path LAYOUT = Path.of(System.getProperty("loomlite.layout", "target/loomlite"));
    static final Path ARCHIVE = Path.of(System.getProperty("loomlite.archive", "target/loomlite.tar.gz"));
    /** Built with {@code -Pjlink}: the distribution has runtime/. */
    static final boolean JLINK = Boolean.getBoolean("loomlite.jlink");

    @TempDir
    Path dir;

    @Test
    void unpacked_archive_runs_through_a_symlink_on_its_own_runtime_and_stops_on_sigterm() throws Exception {
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).as("tar finished").isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
        Path home;
        try (var tops = Files.list(unpacked)) {
            home = tops.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).as("the archive's top folder").startsWith("loomlite-");
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("loomlite"),
                home.resolve("bin/loomlite"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        int port = PackagedLaunchIT.freePort();
        ProcessBuilder launch = command(link, port).directory(elsewhere.toFile());
        launch.environment().remove("JAVA_HOME");
        launch.environment().put("LOOMLITE_JAVA_OPTS", "-Xmx200m -Dloomlite.smoke=1");
        launch.environment().put("LOOMLITE_AOT", "off"); // the AOT cache has its own test below
        try (ServerProcess server = ServerProcess.start(launch, port, dir.resolve("archive.log"))) {
            assertThat(server.awaitHealthy().statusCode()).isEqualTo(200);
            ProcessHandle.Info jvm = server.handle().info();
            Path java = Path.of(jvm.command().orElseThrow()).toRealPath();
            if (JLINK) {
                assertThat(java).as("the started process is the JVM of the archive's runtime (the launcher exec'd it)")
                        .isEqualTo(home.resolve("runtime/bin/java").toRealPath());
            } else {
                assertThat(home.resolve("runtime")).as("built without -Pjlink").doesNotExist();
                assertThat(java.getFileName()).as("the started process is a JVM (the launcher exec'd it)")
                        .hasToString("java");
            }
            assertThat(jvm.arguments().orElseThrow()).as("LOOMLITE_JAVA_OPTS after the args file")
                    .containsSubsequence("@" + home.toRealPath().resolve("conf/loomlite.args"), "-Xmx200m",
                            "-Dloomlite.smoke=1", "-m", "dev.loomlite.server");
            servesEverything(server);
            server.stopWithSigterm();
        }
        assertThat(dir.resolve("data/chat-0.db")).as("--data as given").exists();
    }

    @Test
    void layout_folder_runs_on_the_jdk_that_java_home_names() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home")); // the build's JDK 25 toolchain
        int port = PackagedLaunchIT.freePort();
        ProcessBuilder launch = command(LAYOUT.resolve("bin/loomlite"), port).directory(dir.toFile());
        launch.environment().put("JAVA_HOME", jdk.toString());
        launch.environment().remove("LOOMLITE_JAVA_OPTS");
        launch.environment().put("LOOMLITE_AOT", "off");
        try (ServerProcess server = ServerProcess.start(launch, port, dir.resolve("layout.log"))) {
            assertThat(server.awaitHealthy().statusCode()).isEqualTo(200);
            assertThat(Path.of(server.handle().info().command().orElseThrow()).toRealPath())
                    .isEqualTo(jdk.resolve("bin/java").toRealPath());
            servesEverything(server);
            server.stopWithSigterm();
        }
    }

    @Test
    void the_first_start_records_an_aot_cache_and_the_next_start_maps_it() throws Exception {
        Path cache = dir.resolve("aot/loomlite.aot");
        int port = PackagedLaunchIT.freePort();
        ProcessBuilder first = command(LAYOUT.resolve("bin/loomlite"), port).directory(dir.toFile());
        first.environment().put("JAVA_HOME", System.getProperty("java.home"));
        first.environment().remove("LOOMLITE_JAVA_OPTS");
        first.environment().put("LOOMLITE_AOT_CACHE", cache.toString());
        try (ServerProcess server = ServerProcess.start(first, port, dir.resolve("record.log"))) {
            assertThat(server.awaitHealthy().statusCode()).isEqualTo(200);
            assertThat(server.handle().info().arguments().orElseThrow()).contains("-XX:AOTCacheOutput=" + cache);
            server.roundTrip();
            server.stopWithSigterm(Duration.ofSeconds(120));
        }
        assertThat(cache).as("written when the first run stopped").isNotEmptyFile();

        ProcessBuilder second = command(LAYOUT.resolve("bin/loomlite"), port).directory(dir.toFile());
        second.environment().putAll(first.environment());
        try (ServerProcess server = ServerProcess.start(second, port, dir.resolve("use.log"))) {
            assertThat(server.awaitHealthy().statusCode()).isEqualTo(200);
            assertThat(server.handle().info().arguments().orElseThrow()).contains("-XX:AOTCache=" + cache);
            assertThat(Files.readString(Path.of("/proc", Long.toString(server.handle().pid()), "maps")))
                    .as("the JVM mapped the cache (it refuses a cache that does not fit, and runs without)")
                    .contains(cache.toString());
            assertThat(server.log()).doesNotContain("[error]");
            server.stopWithSigterm();
        }
    }

    ProcessBuilder command(Path launcher, int port) {
        return new ProcessBuilder(List.of(launcher.toString(), "--port", Integer.toString(port),
                "--data", dir.resolve("data").toString()));
    }

    /**
     * The page (served from inside web-client's jar: needs the runtime's {@code jdk.zipfs}), {@code /metrics}
     * (local client) and the JSON round trip (preview structured concurrency, sqlite-jdbc's native code).
     */
    static void servesEverything(ServerProcess server) throws Exception {
        HttpResponse<String> page = server.get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");
        HttpResponse<String> metrics = server.get("/metrics", null);
        assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
        assertThat(metrics.body()).contains("loomlite_up 1");
        server.roundTrip();
    }
}
