package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/** The real page in headless Chromium against a real server: what users see. */
class BrowserChatTest {
    @RegisterExtension
    static final RunningServer server = RunningServer.forBrowsers();

    @Test
    void two_users_in_two_browsers_see_each_others_messages_in_the_same_order() {
        try (Browser alice = new Browser(); Browser bob = new Browser()) {
            alice.signIn(server.uri(), "alice", "duo");
            bob.signIn(server.uri(), "bob", "duo");

            alice.send("hello bob");
            bob.awaitSent(1);
            bob.send("hi alice");
            alice.awaitSent(2);
            alice.send("how are you?");

            List<Browser.Row> seenByAlice = alice.awaitSent(3);
            List<Browser.Row> seenByBob = bob.awaitSent(3);
            assertThat(contents(seenByAlice)).containsExactly("hello bob", "hi alice", "how are you?");
            assertThat(contents(seenByBob)).containsExactly("hello bob", "hi alice", "how are you?");
            assertThat(seenByBob.stream().map(Browser.Row::author)).containsExactly("alice", "bob", "alice");
            assertThat(seenByAlice.stream().map(Browser.Row::seq)).containsExactly("1", "2", "3");
            bob.screenshot("two-users-chatting");
        }
    }

    @Test
    void a_hundred_messages_typed_fast_arrive_once_each_in_order() {
        List<String> typed = IntStream.rangeClosed(1, 100).mapToObj(i -> "fast " + i).toList();
        try (Browser carol = new Browser()) {
            carol.signIn(server.uri(), "carol", "fast");
            typed.forEach(carol::send);

            List<Browser.Row> rows = carol.awaitSent(100);

            assertThat(contents(rows)).containsExactlyElementsOf(typed);
            assertThat(storedContents("fast")).containsExactlyElementsOf(typed);
        }
    }

    @Test
    void markup_in_a_message_shows_as_text_and_runs_nothing() {
        String image = "<img src=x onerror=\"window.__pwned = 'img'\">";
        String script = "<script>window.__pwned = 'script'</script>";
        try (Browser dave = new Browser(); Browser eve = new Browser()) {
            dave.signIn(server.uri(), "dave", "markup");
            eve.signIn(server.uri(), "eve", "markup");
            dave.send(image);
            dave.send(script);

            for (Browser b : List.of(dave, eve)) {
                assertThat(contents(b.awaitSent(2))).containsExactly(image, script);
                assertThat(b.driver.findElements(By.cssSelector("#messages img, #messages script"))).isEmpty();
                assertThat(b.script("return window.__pwned === undefined")).isEqualTo(true);
            }
        }
    }

    @Test
    void messages_pending_at_a_reload_are_delivered_once_and_shown_once() {
        List<String> typed = IntStream.rangeClosed(1, 5).mapToObj(i -> "before reload " + i).toList();
        try (Browser frank = new Browser()) {
            frank.signIn(server.uri(), "frank", "reload");
            typed.forEach(frank::send);
            frank.driver.navigate().refresh();
            frank.awaitConnected();

            List<Browser.Row> rows = frank.awaitSent(5);

            assertThat(contents(rows)).containsExactlyElementsOf(typed);
            assertThat(storedContents("reload")).containsExactlyElementsOf(typed);
        }
    }

    static List<String> contents(List<Browser.Row> rows) {
        return rows.stream().map(Browser.Row::content).toList();
    }

    /** The room's stored history, read over the API by another user. */
    static List<String> storedContents(String room) {
        Client reader = Client.signedIn(server.uri(), "reader");
        List<String> contents = new ArrayList<>();
        Client.json(reader.get("/api/rooms/" + room + "/messages?after=0&limit=500")).path("messages")
                .forEach(m -> contents.add(m.path("content").asText()));
        return contents;
    }
}
