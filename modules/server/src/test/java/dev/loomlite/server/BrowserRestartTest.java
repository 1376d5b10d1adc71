package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The page while its server goes away and comes back on the same port with the same data. */
class BrowserRestartTest {
    @TempDir
    Path data;

    @BeforeAll
    static void needsChromium() {
        Browser.requireOrSkip();
    }

    @Test
    void sends_fail_while_the_server_is_down_and_retry_delivers_each_exactly_once_after_it_is_back() {
        ChatServer server = ChatServer.start(ServerConfig.defaults().withPort(0).withDataDir(data));
        int port = server.port();
        List<String> whileDown = List.of("while down 1", "while down 2", "while down 3");
        try (Browser gina = new Browser()) {
            gina.signIn(server.uri(), "gina", "restart");
            gina.send("before the stop");
            gina.awaitSent(1);

            server.close();
            whileDown.forEach(gina::send);
            gina.awaitStatus("failed");
            List<Browser.Row> held = gina.rows();
            assertThat(held.stream().map(Browser.Row::status)).containsExactly("sent", "failed", "pending", "pending");
            assertThat(gina.driver.findElement(By.cssSelector("#messages li.message[data-status='failed'] .status")).getText())
                    .startsWith("Failed");

            server = ChatServer.start(ServerConfig.defaults().withPort(port).withDataDir(data));
            gina.driver.findElement(By.cssSelector("#messages li.message[data-status='failed'] button.retry")).click();

            List<Browser.Row> rows = gina.awaitSent(4);
            assertThat(BrowserChatTest.contents(rows)).containsExactly("before the stop", "while down 1", "while down 2", "while down 3");
            assertThat(rows.stream().map(Browser.Row::seq)).containsExactly("1", "2", "3", "4");
            Client reader = Client.signedIn(server.uri(), "reader");
            assertThat(Client.json(reader.get("/api/rooms/restart/messages?after=0")).path("messages").findValuesAsText("content"))
                    .containsExactly("before the stop", "while down 1", "while down 2", "while down 3");
            gina.screenshot("after-restart-retry");
        } finally {
            server.close();
        }
    }
}
