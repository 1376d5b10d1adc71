package dev.loomlite.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomlite.chat.HistoryQuery;
import dev.loomlite.chat.OwnerUnavailableException;
import dev.loomlite.chat.spi.Placement;
import dev.loomlite.server.spi.ForwardedSend;
import dev.loomlite.server.spi.HomeAnswer;
import dev.loomlite.server.spi.InternalApi;
import dev.loomlite.server.spi.Relayed;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How {@link OwnerClient} classifies an owner's answers and failures (docs/cluster-design.md §7.3). */
@Timeout(30)
class OwnerClientTest {
    static final String TOKEN = "a-test-cluster-token-of-at-least-32-chars";
    static final ForwardedSend SEND = new ForwardedSend("u1", "Ann", "c-1", "hello", OptionalLong.empty());

    /** Node "n1" (this one) owns shard 0 of 2; "n2", at {@code n2}, owns shard 1. */
    private static OwnerClient client(URI n2) {
        Placement placement = new Placement() {
            @Override
            public int shards() {
                return 2;
            }

            @Override
            public String nodeId() {
                return "n1";
            }

            @Override
            public long mapVersion() {
                return 7;
            }

            @Override
            public String owner(int shard) {
                return shard == 0 ? "n1" : "n2";
            }

            @Override
            public boolean mayCreate(int shard) {
                return true;
            }
        };
        return new OwnerClient(placement, Map.of("n1", URI.create("http://127.0.0.1:1/"), "n2", n2), TOKEN, e -> { });
    }

    @Test
    void an_owners_answer_is_relayed_byte_for_byte_with_its_retry_after_and_the_request_names_this_node() {
        try (StubOwner owner = StubOwner.answering(r -> StubOwner.response(429, "{\"error\":\"slow down\"}", "Retry-After: 3"));
             OwnerClient client = client(owner.uri())) {
            Relayed relayed = client.send(1, "room-x", SEND);

            assertThat(relayed.outcome()).isEqualTo(Relayed.Outcome.ANSWERED);
            assertThat(relayed.status()).isEqualTo(429);
            assertThat(new String(relayed.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"slow down\"}");
            assertThat(relayed.retryAfterSeconds()).isEqualTo(3);
            StubOwner.Request request = owner.received.getFirst();
            assertThat(request.line()).isEqualTo("POST " + InternalApi.messages(1, "room-x") + " HTTP/1.1");
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(request.header(InternalApi.MAP_VERSION)).isEqualTo("7");
            assertThat(request.header(InternalApi.NODE)).isEqualTo("n1");
            assertThat(request.body()).contains("\"authorId\":\"u1\"", "\"clientId\":\"c-1\"");
        }
    }

    @Test
    void a_refused_connect_a_421_and_an_owners_not_stored_503_are_not_stored() {
        try (OwnerClient refused = client(URI.create("http://127.0.0.1:" + NatsProcess.freePort() + "/"));
             StubOwner misdirected = StubOwner.answering(r -> StubOwner.response(421, "{}"));
             OwnerClient toMisdirected = client(misdirected.uri());
             StubOwner draining = StubOwner.answering(r -> StubOwner.response(503, "{}", InternalApi.OUTCOME + ": "
                     + InternalApi.NOT_STORED));
             OwnerClient toDraining = client(draining.uri())) {
            assertThat(refused.send(1, "room-x", SEND).outcome()).isEqualTo(Relayed.Outcome.NOT_STORED);
            assertThat(toMisdirected.send(1, "room-x", SEND).outcome()).isEqualTo(Relayed.Outcome.NOT_STORED);
            assertThat(toDraining.send(1, "room-x", SEND).outcome()).isEqualTo(Relayed.Outcome.NOT_STORED);
        }
    }

    @Test
    void an_owners_unknown_503_another_5xx_and_no_answer_in_time_are_unknown() {
        try (StubOwner timedOut = StubOwner.answering(r -> StubOwner.response(503, "{}", InternalApi.OUTCOME + ": "
                     + InternalApi.UNKNOWN));
             OwnerClient toTimedOut = client(timedOut.uri());
             StubOwner failing = StubOwner.answering(r -> StubOwner.response(500, "{}"));
             OwnerClient toFailing = client(failing.uri());
             StubOwner silent = StubOwner.answering(r -> null);
             OwnerClient toSilent = client(silent.uri())) {
            assertThat(toTimedOut.send(1, "room-x", SEND).outcome()).isEqualTo(Relayed.Outcome.UNKNOWN);
            assertThat(toFailing.send(1, "room-x", SEND).outcome()).isEqualTo(Relayed.Outcome.UNKNOWN);
            assertThat(toSilent.send(1, "room-x", SEND).outcome()).isEqualTo(Relayed.Outcome.UNKNOWN);
        }
    }

    @Test
    void a_read_of_an_owner_that_is_down_or_misdirected_is_owner_unavailable() {
        try (OwnerClient refused = client(URI.create("http://127.0.0.1:" + NatsProcess.freePort() + "/"));
             StubOwner misdirected = StubOwner.answering(r -> StubOwner.response(421, "{}"));
             OwnerClient toMisdirected = client(misdirected.uri())) {
            assertThatThrownBy(() -> refused.read(1, "room-x", HistoryQuery.latest(10)))
                    .isInstanceOf(OwnerUnavailableException.class).hasMessageContaining("node n2", "nothing was read");
            assertThatThrownBy(() -> toMisdirected.position(1, "room-x", 1))
                    .isInstanceOf(OwnerUnavailableException.class).hasMessageContaining("answered 421");
        }
    }

    @Test
    void session_look_ups_of_one_home_go_500_at_a_time_and_a_not_home_answer_is_left_out() {
        List<String> hashes = IntStream.range(0, 5000).mapToObj(i -> String.format("%064x", i))
                .filter(h -> Placement.shardOf(h, 2) == 1).limit(1200).toList();
        try (StubOwner home = StubOwner.answering(r -> {
            StringBuilder answer = new StringBuilder("{\"sessions\":{");
            String[] asked = r.body().replaceAll(".*\"tokenHashes\":\\[(.*)\\].*", "$1").replace("\"", "").split(",");
            for (int i = 0; i < asked.length; i++) {
                answer.append(i == 0 ? "" : ",").append('"').append(asked[i]).append("\":")
                        .append(asked[i].equals(hashes.getFirst()) ? "{\"state\":\"not-home\"}"
                                : "{\"state\":\"active\",\"userId\":\"u\",\"name\":\"n\",\"leftMs\":1000}");
            }
            return StubOwner.response(200, answer.append("}}").toString());
        }); OwnerClient client = client(home.uri())) {
            Map<String, HomeAnswer> answers = client.lookup(hashes, false);

            assertThat(home.received).hasSize(3).allSatisfy(r -> assertThat(r.body().split(",").length)
                    .isLessThanOrEqualTo(OwnerClient.LOOKUP_BATCH + 1));
            assertThat(answers).hasSize(hashes.size() - 1).doesNotContainKey(hashes.getFirst());
            assertThat(answers.get(hashes.get(1))).isEqualTo(new HomeAnswer.Active("u", "n", 1000));
        }
    }
}
