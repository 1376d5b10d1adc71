package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A signed-in user's cookie, presented to any node. */
final class NodeUser {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String cookie;
    final String userId;

    private NodeUser(String cookie, String userId) {
        this.cookie = cookie;
        this.userId = userId;
    }

    static NodeUser signIn(NodeProcess node, String name) {
        HttpResponse<String> r = call(HttpRequest.newBuilder(node.uri().resolve("/api/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        assertThat(r.statusCode()).as("sign-in on %s: %s", node.id, r.body()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        return new NodeUser(cookie, ClusterIT.json(r).path("userId").asText());
    }

    HttpResponse<String> get(NodeProcess node, String path) {
        return call(HttpRequest.newBuilder(node.uri().resolve(path)).header("Cookie", cookie));
    }

    HttpResponse<String> delete(NodeProcess node, String path) {
        return call(HttpRequest.newBuilder(node.uri().resolve(path)).header("Cookie", cookie).DELETE());
    }

    HttpResponse<String> send(NodeProcess node, String room, String clientId, String content) {
        return call(HttpRequest.newBuilder(node.uri().resolve("/api/rooms/" + room + "/messages"))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"clientId\":\"" + clientId + "\",\"content\":\""
                        + content + "\"}")));
    }

    private static HttpResponse<String> call(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
