package dev.loomlite.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    static InetAddress parsed(String remote) {
        return ClientAddress.parse(remote).orElseThrow();
    }

    @Test
    void an_ipv4_client_is_limited_by_its_address() {
        assertThat(ClientAddress.limitKey(parsed("203.0.113.7"))).isEqualTo("203.0.113.7");
    }

    @Test
    void ipv6_clients_of_one_64_prefix_share_a_limit() {
        String one = ClientAddress.limitKey(parsed("2001:db8:1:2:aaaa::1"));
        String other = ClientAddress.limitKey(parsed("[2001:db8:1:2:bbbb:cccc:dddd:eeee]"));
        String elsewhere = ClientAddress.limitKey(parsed("2001:db8:1:3::1"));

        assertThat(one).isEqualTo(other).isEqualTo("20010db800010002::/64");
        assertThat(elsewhere).isNotEqualTo(one);
    }

    @Test
    void an_ipv4_mapped_ipv6_client_counts_as_its_ipv4_address() {
        assertThat(ClientAddress.limitKey(parsed("::ffff:203.0.113.7"))).isEqualTo("203.0.113.7");
    }

    @Test
    void loopback_is_recognised_in_every_spelling() {
        for (String remote : new String[] {"127.0.0.1", "127.0.0.5", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"}) {
            assertThat(parsed(remote).isLoopbackAddress()).as(remote).isTrue();
        }
        assertThat(parsed("192.0.2.2").isLoopbackAddress()).isFalse();
    }

    @Test
    void a_host_name_is_never_looked_up() {
        assertThat(ClientAddress.parse("localhost")).isEmpty();
        assertThat(ClientAddress.parse("")).isEmpty();
    }
}
