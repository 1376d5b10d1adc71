package dev.loomlite.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium with a fresh profile, driving the chat page through the DOM contract documented in
 * {@code modules/web-client/README.md}. Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * are named explicitly, so Selenium Manager never runs and nothing is downloaded.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);

    /** A row of {@code #messages}: what the user sees. */
    record Row(String status, String seq, String author, String content, String clientId) {
    }

    private final Path profile;
    private final ChromeDriverService service;
    final ChromeDriver driver;
    final WebDriverWait wait;

    Browser() {
        try {
            profile = Files.createTempDirectory("loomlite-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT);
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Skips the calling test class where Debian's Chromium is not installed (a developer's plain `./mvnw verify`),
     * but fails it where {@code LOOMLITE_REQUIRE_BROWSER} is set (CI), so browser tests never vanish unnoticed.
     */
    static void requireOrSkip() {
        if (available()) {
            return;
        }
        String missing = "Debian's /usr/bin/chromium and /usr/bin/chromedriver are not installed"
                + " (apt-get install chromium chromium-driver)";
        if (System.getenv("LOOMLITE_REQUIRE_BROWSER") != null) {
            throw new AssertionError("LOOMLITE_REQUIRE_BROWSER is set but " + missing);
        }
        Assumptions.abort("browser tests skipped: " + missing);
    }

    /** Opens the page (optionally in a room: {@code #room}) and signs in as {@code name}. */
    Browser signIn(URI base, String name, String room) {
        driver.get(base.toString() + (room == null ? "" : "#" + room));
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-input")));
        input.clear();
        input.sendKeys(name);
        driver.findElement(By.id("name-submit")).click();
        awaitConnected();
        if (room != null) {
            wait.until(ExpectedConditions.textToBe(By.id("current-room"), "#" + room));
        }
        return this;
    }

    void awaitConnected() {
        wait.until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "connected"));
    }

    /** Types a message and presses Enter. */
    void send(String text) {
        WebElement composer = driver.findElement(By.id("composer"));
        composer.sendKeys(text);
        composer.sendKeys(Keys.ENTER);
    }

    List<Row> rows() {
        @SuppressWarnings("unchecked")
        List<List<String>> raw = (List<List<String>>) ((JavascriptExecutor) driver).executeScript("""
                return [...document.querySelectorAll('#messages li.message')].map(li => [
                  li.dataset.status, li.dataset.seq, li.querySelector('.author')?.textContent ?? '',
                  li.querySelector('.content')?.textContent ?? '', li.dataset.clientId]);
                """);
        List<Row> rows = new ArrayList<>();
        for (List<String> r : raw) {
            rows.add(new Row(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)));
        }
        return rows;
    }

    /** Waits until {@code count} rows show as sent. */
    List<Row> awaitSent(int count) {
        wait.until(d -> rows().stream().filter(r -> r.status().equals("sent")).count() >= count);
        return rows();
    }

    /** Waits until some row has {@code status}. */
    void awaitStatus(String status) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#messages li.message[data-status='" + status + "']")));
    }

    Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    void screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.close();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A temp profile left behind is harmless.
        }
    }
}
