package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();



    @Test
    void post_session_answers_the_user_and_sets_a_strict_http_only_cookie() {
        Client alice = new Client(server.uri());
        HttpResponse<String> response = alice.signIn("  alice  ");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Client.json(response).path("name").asText()).isEqualTo("alice");
        assertThat(Client.json(response).path("userId").asText()).isNotBlank();
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("loomlite_session=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        // 256 random bits in unpadded base64url.
        assertThat(alice.cookie.substring("loomlite_session=".length())).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void get_session_answers_the_signed_in_user() {
        Client bob = Client.signedIn(server.uri(), "bob");
        HttpResponse<String> response = bob.get("/api/session");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Client.json(response).path("name").asText()).isEqualTo("bob");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void get_session_without_a_cookie_is_401() {
        HttpResponse<String> response = new Client(server.uri()).get("/api/session");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Client.json(response).path("error").asText()).isNotBlank();
    }

    @Test
    void an_unknown_or_malformed_token_is_401() {
        Client forger = new Client(server.uri());
        for (String cookie : new String[] {"loomlite_session=" + "A".repeat(43), "loomlite_session=<script>", "loomlite_session="}) {
            forger.cookie = cookie;
            HttpResponse<String> response = forger.get("/api/session");
            assertThat(response.statusCode()).as(cookie).isEqualTo(401);
            assertThat(response.body()).doesNotContain("script");
        }
    }

    @Test
    void signing_in_again_with_a_session_keeps_the_user_id_and_takes_the_new_name() {
        Client carol = Client.signedIn(server.uri(), "carol");
        String userId = Client.json(carol.get("/api/session")).path("userId").asText();

        HttpResponse<String> renamed = carol.signIn("caroline");

        assertThat(Client.json(renamed).path("userId").asText()).isEqualTo(userId);
        assertThat(Client.json(carol.get("/api/session")).path("name").asText()).isEqualTo("caroline");
    }

    /**
     * A sign-in with a live session renames in place: other tabs and requests still carry the same cookie, and must
     * stay signed in as the same user. (Cookies planted from a sibling subdomain are not defended against: see the
     * README's limitations.)
     */
    @Test
    void signing_in_with_a_live_session_keeps_the_token_and_changes_the_name() {
        Client tab = Client.signedIn(server.uri(), "before");
        String token = tab.cookie;
        String userId = Client.json(tab.get("/api/session")).path("userId").asText();

        HttpResponse<String> signIn = tab.signIn("after");

        assertThat(signIn.statusCode()).isEqualTo(200);
        assertThat(Client.json(signIn).path("userId").asText()).isEqualTo(userId);
        assertThat(Client.json(signIn).path("name").asText()).isEqualTo("after");
        assertThat(tab.cookie).isEqualTo(token);
        Client otherTab = new Client(server.uri());
        otherTab.cookie = token;
        HttpResponse<String> seen = otherTab.get("/api/session");
        assertThat(seen.statusCode()).isEqualTo(200);
        assertThat(Client.json(seen).path("userId").asText()).isEqualTo(userId);
        assertThat(Client.json(seen).path("name").asText()).isEqualTo("after");
    }

    /** Two tabs renewing (or renaming) with the same cookie at once both stay the same user, under the same token. */
    @Test
    void concurrent_sign_ins_with_the_same_live_cookie_keep_the_same_user() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            // An address of its own per attempt: three sign-ins each, well within the per-address burst.
            String address = "127.0.3." + (attempt + 1);
            Client first = Client.from(server.uri(), address);
            assertThat(first.signIn("tabs").statusCode()).isEqualTo(200);
            String token = first.cookie;
            String userId = Client.json(first.get("/api/session")).path("userId").asText();
            Client second = Client.from(server.uri(), address);
            second.cookie = token;

            CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> first.signIn("tab one"));
            CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> second.signIn("tab two"));

            for (HttpResponse<String> answer : List.of(a.get(), b.get())) {
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(Client.json(answer).path("userId").asText()).isEqualTo(userId);
            }
            assertThat(first.cookie).isEqualTo(token);
            assertThat(second.cookie).isEqualTo(token);
            assertThat(Client.json(first.get("/api/session")).path("name").asText()).isIn("tab one", "tab two");
        }
    }

    @Test
    void two_sign_ins_with_the_same_name_are_two_users() {
        String first = Client.json(Client.signedIn(server.uri(), "dave").get("/api/session")).path("userId").asText();
        String second = Client.json(Client.signedIn(server.uri(), "dave").get("/api/session")).path("userId").asText();

        assertThat(first).isNotEqualTo(second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abcdefghijklmnopqrstuvwxyz0123456", "tab\there", "bell\u0007", "new\nline", "rtl\u202Eoverride"})
    void an_invalid_name_is_400_naming_the_field_and_the_limit(String name) {
        HttpResponse<String> response = new Client(server.uri()).signIn(name);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Client.json(response).path("field").asText()).isEqualTo("name");
        assertThat(Client.json(response).path("error").asText()).containsAnyOf("32", "control");
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void a_name_of_32_characters_outside_the_basic_plane_is_accepted() {
        String name = "\uD83D\uDE00".repeat(32); // 32 emoji, 64 UTF-16 units
        HttpResponse<String> response = new Client(server.uri()).signIn(name);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Client.json(response).path("name").asText()).isEqualTo(name);
    }

    @Test
    void a_missing_name_is_400() {
        HttpResponse<String> response = new Client(server.uri()).post("/api/session", "{}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Client.json(response).path("field").asText()).isEqualTo("name");
    }

    @Test
    void a_name_of_the_wrong_type_is_400_naming_the_field() {
        HttpResponse<String> response = new Client(server.uri()).post("/api/session", "{\"name\": 42}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Client.json(response).path("field").asText()).isEqualTo("name");
    }

    @Test
    void malformed_json_is_400_without_echoing_it() {
        HttpResponse<String> response = new Client(server.uri()).post("/api/session", "{\"name\": \"<b>x</b>\"");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain("<b>").doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Test
    void a_form_post_is_415() {
        Client client = new Client(server.uri());
        HttpResponse<String> response = client.send(client.request("/api/session")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=eve")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Client.json(response).path("error").asText()).contains("application/json");
    }
}
