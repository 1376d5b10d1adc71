package dev.loomlite.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SignOutTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void delete_session_is_204_and_clears_the_cookie() {
        Client alice = Client.signedIn(server.uri(), "alice");

        HttpResponse<String> response = alice.delete("/api/session");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).startsWith("loomlite_session=;").contains("Max-Age=0").contains("HttpOnly"));
    }

    @Test
    void a_signed_out_session_is_401_afterwards() {
        Client bob = Client.signedIn(server.uri(), "bob");
        bob.delete("/api/session");

        assertThat(bob.get("/api/session").statusCode()).isEqualTo(401);
        assertThat(bob.get("/api/rooms").statusCode()).isEqualTo(401);
        assertThat(bob.sendMessage("general", "after-sign-out", "too late").statusCode()).isEqualTo(401);
        assertThat(EventSocketTest.refusal(bob, "general", "0", null)).isEqualTo(401);
    }

    @Test
    void signing_out_leaves_other_sessions_signed_in() {
        Client carol = Client.signedIn(server.uri(), "carol");
        Client dave = Client.signedIn(server.uri(), "dave");

        carol.delete("/api/session");

        assertThat(dave.get("/api/session").statusCode()).isEqualTo(200);
    }

    @Test
    void delete_session_without_a_session_is_401() {
        HttpResponse<String> response = new Client(server.uri()).delete("/api/session");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Client.json(response).path("error").asText()).contains("session");
    }

    @Test
    void a_signed_out_cookie_signs_in_as_a_new_user() {
        Client erin = Client.signedIn(server.uri(), "erin");
        String before = Client.json(erin.get("/api/session")).path("userId").asText();
        String signedOut = erin.cookie;
        erin.delete("/api/session");
        erin.cookie = signedOut;

        HttpResponse<String> again = erin.signIn("erin");

        assertThat(Client.json(again).path("userId").asText()).isNotEqualTo(before);
    }

    @Test
    void signing_out_ends_the_users_open_event_streams() throws Exception {
        Client frank = Client.signedIn(server.uri(), "frank");
        Frames frames = frank.subscribe("sign-out", 0);
        // The handshake can complete before the server has listed the stream: a delivered message proves it has.
        frank.sendMessage("sign-out", "ready", "listening");
        assertThat(frames.next().path("message").path("content").asText()).isEqualTo("listening");

        frank.delete("/api/session");

        JsonNode reset = frames.next();
        assertThat(reset.path("type").asText()).isEqualTo("reset");
        assertThat(reset.path("reason").asText()).isEqualTo("signed out");
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).startsWith("1008");
    }

    @Test
    void signing_out_leaves_other_users_streams_open() throws Exception {
        Client grace = Client.signedIn(server.uri(), "grace");
        Client heidi = Client.signedIn(server.uri(), "heidi");
        Frames frames = heidi.subscribe("still-open", 0);
        // As above: only a delivered message proves the server lists Heidi's stream, so that the sign-out could see it.
        heidi.sendMessage("still-open", "ready", "listening");
        assertThat(frames.next().path("message").path("content").asText()).isEqualTo("listening");

        grace.delete("/api/session");
        grace = Client.signedIn(server.uri(), "grace");
        grace.sendMessage("still-open", "after", "heidi still listens");

        assertThat(frames.next().path("message").path("content").asText()).isEqualTo("heidi still listens");
    }

    /**
     * A 401 answers a request that may have left with an older cookie than the browser holds now: a renewal set a
     * new one meanwhile. Clearing the cookie there would delete the new session's; only the sign-out clears it.
     */
    @Test
    void a_late_401_for_a_signed_out_cookie_does_not_clear_the_cookie() {
        Client ivan = Client.signedIn(server.uri(), "ivan");
        String signedOut = ivan.cookie;
        ivan.delete("/api/session");
        ivan.signIn("ivan"); // the renewal: the browser now holds a new cookie
        Client late = new Client(server.uri());
        late.cookie = signedOut;

        HttpResponse<String> response = late.get("/api/rooms");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(ivan.get("/api/session").statusCode()).isEqualTo(200);
    }

    /** The page ends a session it no longer wants by its user id: never another one the cookie was switched to. */
    @Test
    void delete_session_naming_another_user_is_409_and_signs_nothing_out() {
        Client judy = Client.signedIn(server.uri(), "judy");
        String userId = Client.json(judy.get("/api/session")).path("userId").asText();

        HttpResponse<String> other = judy.delete("/api/session?userId=someone-else");

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(judy.get("/api/session").statusCode()).isEqualTo(200);
        assertThat(judy.delete("/api/session?userId=" + userId).statusCode()).isEqualTo(204);
        assertThat(judy.get("/api/session").statusCode()).isEqualTo(401);
    }

    /** A sign-out racing a rename of the same session: once the sign-out answered 204, nothing of the user is live. */
    @Test
    void a_sign_out_racing_a_rename_leaves_no_session_of_the_user() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            // An address of its own per attempt: at most two sign-ins each, well within the per-address burst.
            Client renaming = Client.from(server.uri(), "127.0.4." + (attempt + 1));
            assertThat(renaming.signIn("kim").statusCode()).isEqualTo(200);
            String userId = Client.json(renaming.get("/api/session")).path("userId").asText();
            Client signingOut = new Client(server.uri());
            signingOut.cookie = renaming.cookie;

            CompletableFuture<HttpResponse<String>> rename = CompletableFuture.supplyAsync(() -> renaming.signIn("kimberly"));
            CompletableFuture<HttpResponse<String>> out = CompletableFuture.supplyAsync(
                    () -> signingOut.delete("/api/session?userId=" + userId));

            assertThat(out.get().statusCode()).isEqualTo(204);
            assertThat(rename.get().statusCode()).isEqualTo(200);
            HttpResponse<String> after = renaming.get("/api/session");
            if (after.statusCode() == 200) {
                // The rename lost the race and signed in afresh: a new user, never the signed-out one.
                assertThat(Client.json(after).path("userId").asText()).isNotEqualTo(userId);
            } else {
                assertThat(after.statusCode()).isEqualTo(401);
            }
        }
    }
}
