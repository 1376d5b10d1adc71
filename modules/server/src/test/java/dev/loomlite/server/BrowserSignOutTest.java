package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The page's "Sign out" button: the session ends on the server, on this device and in this browser's other tabs. */
class BrowserSignOutTest {
    static final String SESSION_COOKIE = "loomlite_session";
    static final String NAME_KEY = "loomlite.name";
    static final String SIGNED_OUT_ELSEWHERE = "You signed out in another tab.";

    @RegisterExtension
    static final RunningServer server = RunningServer.forBrowsers();

    @Test
    void signing_out_returns_to_an_empty_name_screen_and_forgets_the_remembered_name() {
        try (Browser alice = new Browser()) {
            alice.signIn(server.uri(), "alice", "sign-out");
            assertThat(alice.script("return JSON.parse(localStorage.getItem('" + NAME_KEY + "')).name")).isEqualTo("alice");

            alice.driver.findElement(By.id("sign-out")).click();

            awaitNameScreen(alice);
            assertThat(alice.driver.findElement(By.id("chat-screen")).isDisplayed()).isFalse();
            assertThat(alice.driver.findElement(By.id("user-box")).isDisplayed()).isFalse();
            assertThat(alice.driver.findElement(By.id("name-cancel")).isDisplayed()).isFalse();
            assertThat(alice.driver.findElement(By.id("name-input")).getDomProperty("value")).isEmpty();
            assertThat(alice.script("return localStorage.getItem('" + NAME_KEY + "')")).isNull();
        }
    }

    @Test
    void after_signing_out_a_reload_stays_on_the_name_screen_and_the_old_cookie_is_refused() {
        try (Browser bob = new Browser()) {
            bob.signIn(server.uri(), "bob", "sign-out");
            String oldCookie = sessionCookie(bob);
            assertThat(oldCookie).isNotNull();

            bob.driver.findElement(By.id("sign-out")).click();
            awaitNameScreen(bob);
            bob.driver.navigate().refresh();

            awaitNameScreen(bob);
            assertThat(bob.driver.findElement(By.id("chat-screen")).isDisplayed()).isFalse();
            assertThat(bob.driver.findElement(By.id("name-input")).getDomProperty("value")).isEmpty();
            assertThat(sessionCookie(bob)).isNull();
            Client withOldCookie = new Client(server.uri());
            withOldCookie.cookie = SESSION_COOKIE + "=" + oldCookie;
            assertThat(withOldCookie.get("/api/session").statusCode()).isEqualTo(401);
            assertThat(withOldCookie.get("/api/rooms").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void another_tab_of_the_same_browser_returns_to_the_name_screen_saying_it_was_signed_out_there() throws SQLException {
        try (Browser carol = new Browser()) {
            carol.signIn(server.uri(), "carol", "two-tabs");
            String first = carol.driver.getWindowHandle();
            trackRequests(carol);
            String second = openSecondTab(carol, server.uri(), "two-tabs");
            trackRequests(carol);

            carol.driver.switchTo().window(first);
            carol.driver.findElement(By.id("sign-out")).click();
            awaitNameScreen(carol);

            carol.driver.switchTo().window(second);
            carol.wait.until(ExpectedConditions.textToBe(By.id("notice"), SIGNED_OUT_ELSEWHERE));
            awaitNameScreen(carol);
            assertThat(carol.driver.findElement(By.id("notice")).isDisplayed()).isTrue();
            assertThat(carol.driver.findElement(By.id("chat-screen")).isDisplayed()).isFalse();
            assertThat(carol.driver.findElement(By.id("name-input")).getDomProperty("value")).isEmpty();
            carol.screenshot("signed-out-in-another-tab");
            // A sign-in either tab sent late would be stored only once its answer is back: wait for both.
            awaitNoRequestInFlight(carol);
            carol.driver.switchTo().window(first);
            awaitNoRequestInFlight(carol);
            assertThat(sessionsNamed("carol")).as("neither tab signed in again").isZero();
            assertThat(storedValuesContaining(carol, "\"version\"")).as("no saved outbox left").isEmpty();
        }
    }

    /** The other tab is on "Change name" (it left the chat, Cancel goes back to it): it must learn of the sign-out too. */
    @Test
    void a_tab_on_the_change_name_screen_also_learns_of_a_sign_out_in_another_tab() throws SQLException {
        try (Browser frank = new Browser()) {
            frank.signIn(server.uri(), "frank", "change-name");
            String first = frank.driver.getWindowHandle();
            String second = openSecondTab(frank, server.uri(), "change-name");
            trackRequests(frank);
            frank.driver.findElement(By.id("change-name")).click();
            awaitNameScreen(frank);
            assertThat(frank.driver.findElement(By.id("name-cancel")).isDisplayed()).isTrue();
            assertThat(frank.driver.findElement(By.id("name-input")).getDomProperty("value")).isEqualTo("frank");

            frank.driver.switchTo().window(first);
            frank.driver.findElement(By.id("sign-out")).click();
            awaitNameScreen(frank);

            frank.driver.switchTo().window(second);
            frank.wait.until(ExpectedConditions.textToBe(By.id("notice"), SIGNED_OUT_ELSEWHERE));
            assertThat(frank.driver.findElement(By.id("name-cancel")).isDisplayed())
                    .as("no way back into the chat of the ended session").isFalse();
            assertThat(frank.driver.findElement(By.id("name-input")).getDomProperty("value")).isEmpty();
            assertThat(frank.driver.findElement(By.id("chat-screen")).isDisplayed()).isFalse();
            awaitNoRequestInFlight(frank); // a reload would cancel a late sign-in here, not undo it on the server
            frank.driver.navigate().refresh();
            awaitNameScreen(frank);
            assertThat(sessionsNamed("frank")).isZero();
        }
    }

    @Test
    void signing_out_removes_the_text_of_unsent_messages_from_the_browser(@TempDir Path ownData) {
        String unsent = "typed while the server was down " + System.nanoTime();
        ChatServer own = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(ownData));
        int port = own.port();
        try (Browser dave = new Browser()) {
            dave.signIn(own.uri(), "dave", "unsent");
            own.close();
            dave.send(unsent);
            dave.awaitStatus("failed");
            own = ChatServer.start(ServerConfig.defaults().withPort(port).withDataDir(ownData));
            dave.awaitConnected(); // the room is back and idle; a failed message stays failed until the user decides
            assertThat(storedValuesContaining(dave, unsent)).hasSize(1);

            dave.driver.findElement(By.id("sign-out")).click();

            awaitNameScreen(dave);
            assertThat(storedValuesContaining(dave, unsent)).isEmpty();
        } finally {
            own.close();
        }
    }

    /**
     * The server holds its answer to {@code DELETE /api/session} until the user's event streams have ended, so the
     * "signed out" reset reaches the page's open room before the answer does; here the answer is slowed down
     * (emulated latency, this tab and URL only) so that the room's reconnect always runs into the signed-out session
     * first. Nothing may sign the user in again.
     */
    @Test
    void signing_out_does_not_sign_in_again_when_the_answer_to_the_sign_out_comes_late() throws SQLException {
        try (Browser erin = new Browser()) {
            erin.signIn(server.uri(), "erin", "late-answer");
            delayAnswers(erin, server.uri().resolve("/api/session"), Duration.ofSeconds(1));
            trackRequests(erin);

            erin.driver.findElement(By.id("sign-out")).click();
            awaitNameScreen(erin);
            awaitNoRequestInFlight(erin); // any sign-in the page started is stored by now

            assertThat(sessionsNamed("erin")).isZero();
        }
    }

    /**
     * The answer to {@code DELETE /api/session} is lost after the server signed out (here the page's fetch fails once
     * the answer is in). The server had ended the room's stream first: the sign-out is done, not "Could not sign out"
     * with the room stopped and the name kept, whose next 401 would sign in a new user.
     */
    @Test
    void a_sign_out_whose_answer_is_lost_still_signs_out_and_nothing_signs_in_again() throws SQLException {
        try (Browser gina = new Browser()) {
            gina.signIn(server.uri(), "gina", "lost-answer");
            trackRequests(gina);
            gina.script("""
                    const fetch = window.fetch;
                    window.fetch = (url, init) => init?.method === 'DELETE'
                      ? fetch(url, init).then(() => { throw new TypeError('Failed to fetch'); })
                      : fetch(url, init);
                    """);

            gina.driver.findElement(By.id("sign-out")).click();

            awaitNameScreen(gina);
            awaitNoRequestInFlight(gina);
            assertThat(gina.driver.findElement(By.id("notice")).getText()).doesNotContain("Could not sign out");
            assertThat(gina.script("return localStorage.getItem('" + NAME_KEY + "')")).isNull();
            assertThat(sessionsNamed("gina")).isZero();
            gina.driver.navigate().refresh();
            awaitNameScreen(gina);
            assertThat(sessionsNamed("gina")).isZero();
        }
    }

    /** Opens the page in a new tab of the same browser profile (same cookies and localStorage); it is signed in already. */
    static String openSecondTab(Browser browser, URI base, String room) {
        browser.driver.switchTo().newWindow(WindowType.TAB);
        browser.driver.get(base + "#" + room);
        browser.awaitConnected();
        browser.wait.until(ExpectedConditions.textToBe(By.id("current-room"), "#" + room));
        return browser.driver.getWindowHandle();
    }

    /**
     * Counts the current tab's requests in flight from now on: the page looks {@code window.fetch} up at each call
     * (app.js), so a wrapper sees every one. Once per page load.
     */
    static void trackRequests(Browser browser) {
        browser.script("""
                if (!window.__inFlight) {
                  window.__inFlight = { count: 0 };
                  const fetch = window.fetch;
                  window.fetch = (...args) => {
                    window.__inFlight.count += 1;
                    return fetch(...args).finally(() => { window.__inFlight.count -= 1; });
                  };
                }
                """);
    }

    /**
     * Waits until the current tab (see {@link #trackRequests}) has no request in flight: what it sent has reached the
     * server and been answered, so the database shows it.
     */
    static void awaitNoRequestInFlight(Browser browser) {
        browser.wait.until(d -> Long.valueOf(0).equals(browser.script("return window.__inFlight.count")));
    }

    /** Waits for the name screen to show; the page shows it only once it knows there is no session. */
    static void awaitNameScreen(Browser browser) {
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("name-input")));
    }

    /** The browser's session cookie value (HttpOnly: the page cannot read it, WebDriver can), or null. */
    static String sessionCookie(Browser browser) {
        Cookie cookie = browser.driver.manage().getCookieNamed(SESSION_COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** The values in the page's localStorage that contain {@code text}. */
    @SuppressWarnings("unchecked")
    static List<String> storedValuesContaining(Browser browser, String text) {
        return (List<String>) browser.driver.executeScript(
                "return Object.keys(localStorage).map(k => localStorage.getItem(k)).filter(v => v.includes(arguments[0]))",
                text);
    }

    /** Answers to requests for {@code url} reach the current tab no sooner than {@code latency} after they were sent. */
    static void delayAnswers(Browser browser, URI url, Duration latency) {
        browser.driver.executeCdpCommand("Network.enable", Map.of());
        browser.driver.executeCdpCommand("Network.emulateNetworkConditionsByRule", Map.of("matchedNetworkConditions",
                List.of(Map.of("urlPattern", url.toString(), "latency", latency.toMillis(),
                        "downloadThroughput", -1, "uploadThroughput", -1))));
    }

    /** How many sessions the server has stored under {@code name}. */
    static long sessionsNamed(String name) throws SQLException {
        try (Connection c = SessionRows.open(server.data());
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM session WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
