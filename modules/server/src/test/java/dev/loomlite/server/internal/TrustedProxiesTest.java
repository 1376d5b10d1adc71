package dev.loomlite.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a request looks like to its client, from the TCP peer and the forwarding headers (no server needed). */
class TrustedProxiesTest {
    static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8:aaaa::/48"));
    static final String PROXY = "10.0.0.2";
    static final String STRANGER = "192.0.2.99";

    static ClientView view(String peer, Map<String, String> headers) {
        return PROXIES.view(peer, "http", "127.0.0.1:7070", name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList());
    }

    static Optional<InetAddress> address(String literal) {
        return Optional.of(InetAddress.ofLiteral(literal));
    }

    @Test
    void without_headers_the_client_is_the_peer() {
        ClientView view = view(PROXY, Map.of());

        assertThat(view.address()).isEqualTo(address(PROXY));
        assertThat(view.scheme()).isEqualTo("http");
        assertThat(view.host()).hasValue("127.0.0.1:7070");
    }

    @Test
    void an_untrusted_peers_headers_are_ignored() {
        ClientView view = view(STRANGER, Map.of("X-Forwarded-For", "203.0.113.5", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "chat.example", "Forwarded", "for=203.0.113.6;proto=https"));

        assertThat(view.address()).isEqualTo(address(STRANGER));
        assertThat(view.scheme()).isEqualTo("http");
        assertThat(view.host()).hasValue("127.0.0.1:7070");
    }

    @Test
    void x_forwarded_for_is_walked_from_the_right_past_trusted_hops() {
        ClientView view = view(PROXY, Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.5, 10.9.9.9"));

        assertThat(view.address()).isEqualTo(address("203.0.113.5"));
    }

    @Test
    void when_every_hop_is_trusted_the_leftmost_is_the_client() {
        assertThat(view(PROXY, Map.of("X-Forwarded-For", "10.1.1.1, 10.2.2.2")).address()).isEqualTo(address("10.1.1.1"));
    }

    @Test
    void x_forwarded_for_entries_may_carry_ports_and_brackets() {
        assertThat(view(PROXY, Map.of("X-Forwarded-For", "[2001:db8:1::7]:443")).address()).isEqualTo(address("2001:db8:1::7"));
        assertThat(view(PROXY, Map.of("X-Forwarded-For", "203.0.113.5:5123")).address()).isEqualTo(address("203.0.113.5"));
        assertThat(view(PROXY, Map.of("X-Forwarded-For", "2001:db8:1::7")).address()).isEqualTo(address("2001:db8:1::7"));
    }

    @Test
    void forwarded_for_is_read_with_quoted_ipv6_and_ports() {
        ClientView view = view(PROXY, Map.of("Forwarded", "for=198.51.100.1, for=\"[2001:db8:cafe::17]:4711\";proto=https"));

        assertThat(view.address()).isEqualTo(address("2001:db8:cafe::17"));
        assertThat(view.scheme()).isEqualTo("https");
    }

    @Test
    void forwarded_wins_over_x_forwarded_for() {
        ClientView view = view(PROXY, Map.of("Forwarded", "for=203.0.113.6", "X-Forwarded-For", "203.0.113.5"));

        assertThat(view.address()).isEqualTo(address("203.0.113.6"));
    }

    @Test
    void forwarded_hops_are_walked_from_the_right_and_the_clients_element_gives_scheme_and_host() {
        ClientView view = view(PROXY, Map.of("Forwarded", "for=198.51.100.1;proto=http;host=evil.example, "
                + "for=203.0.113.5;proto=https;host=Chat.Example, for=10.3.3.3;proto=http;host=inner"));

        assertThat(view.address()).isEqualTo(address("203.0.113.5"));
        assertThat(view.scheme()).isEqualTo("https");
        assertThat(view.host()).hasValue("chat.example");
    }

    @Test
    void an_obfuscated_or_unknown_hop_ends_the_walk_at_the_last_trusted_hop() {
        assertThat(view(PROXY, Map.of("Forwarded", "for=203.0.113.5, for=_hidden")).address()).isEqualTo(address(PROXY));
        assertThat(view(PROXY, Map.of("Forwarded", "for=203.0.113.5, for=unknown, for=10.4.4.4")).address())
                .isEqualTo(address("10.4.4.4"));
        assertThat(view(PROXY, Map.of("X-Forwarded-For", "203.0.113.5, not-an-address")).address()).isEqualTo(address(PROXY));
    }

    @Test
    void a_malformed_forwarded_element_names_no_one() {
        assertThat(view(PROXY, Map.of("Forwarded", "for=203.0.113.5;for=198.51.100.1")).address()).isEqualTo(address(PROXY));
        assertThat(view(PROXY, Map.of("Forwarded", "for=\"203.0.113.5")).address()).isEqualTo(address(PROXY));
    }

    @Test
    void a_comma_inside_a_quoted_value_does_not_split_elements() {
        ClientView view = view(PROXY, Map.of("Forwarded", "for=203.0.113.5;host=\"a,b\""));

        assertThat(view.address()).isEqualTo(address("203.0.113.5"));
        assertThat(view.host()).as("not a host[:port]: the connection's own").hasValue("127.0.0.1:7070");
    }

    @Test
    void x_forwarded_proto_and_host_take_the_value_the_nearest_proxy_set() {
        ClientView view = view(PROXY, Map.of("X-Forwarded-For", "203.0.113.5", "X-Forwarded-Proto", "http, HTTPS",
                "X-Forwarded-Host", "evil.example, chat.example:8443"));

        assertThat(view.scheme()).isEqualTo("https");
        assertThat(view.host()).hasValue("chat.example:8443");
    }

    @Test
    void a_scheme_other_than_http_or_https_is_ignored() {
        assertThat(view(PROXY, Map.of("X-Forwarded-Proto", "javascript")).scheme()).isEqualTo("http");
    }

    @Test
    void ipv6_proxies_are_trusted_by_their_block() {
        ClientView view = view("[2001:db8:aaaa::5]", Map.of("X-Forwarded-For", "2001:db8:1::7"));

        assertThat(view.address()).isEqualTo(address("2001:db8:1::7"));
    }

    @Test
    void a_forwarded_request_is_never_local_even_from_a_trusted_loopback_proxy() {
        TrustedProxies local = TrustedProxies.of(List.of("127.0.0.1"));

        assertThat(local.view("127.0.0.1", "http", "localhost", name -> List.of()).local()).isTrue();
        assertThat(local.view("127.0.0.1", "http", "localhost",
                name -> name.equals("X-Forwarded-For") ? List.of("127.0.0.1") : List.of()).local()).isFalse();
        assertThat(local.view("127.0.0.1", "http", "localhost",
                name -> name.equals("X-Forwarded-Proto") ? List.of("https") : List.of()).local()).isFalse();
    }
}
