package dev.loomlite.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    static InetAddress at(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void an_ipv4_block_holds_the_addresses_under_its_prefix() {
        Cidr block = Cidr.parse("10.1.0.0/16");

        assertThat(block.contains(at("10.1.0.0"))).isTrue();
        assertThat(block.contains(at("10.1.255.254"))).isTrue();
        assertThat(block.contains(at("10.2.0.1"))).isFalse();
    }

    @Test
    void a_prefix_that_is_not_a_multiple_of_eight_cuts_inside_a_byte() {
        Cidr block = Cidr.parse("192.0.2.64/26");

        assertThat(block.contains(at("192.0.2.127"))).isTrue();
        assertThat(block.contains(at("192.0.2.63"))).isFalse();
        assertThat(block.contains(at("192.0.2.128"))).isFalse();
    }

    @Test
    void an_ipv6_block_holds_the_addresses_under_its_prefix() {
        Cidr block = Cidr.parse("2001:db8::/32");

        assertThat(block.contains(at("2001:db8:ffff::1"))).isTrue();
        assertThat(block.contains(at("2001:db9::1"))).isFalse();
    }

    @Test
    void a_single_address_is_a_block_of_one() {
        assertThat(Cidr.parse("192.0.2.7").contains(at("192.0.2.7"))).isTrue();
        assertThat(Cidr.parse("192.0.2.7").contains(at("192.0.2.8"))).isFalse();
        assertThat(Cidr.parse("[::1]").contains(at("::1"))).isTrue();
    }

    @Test
    void the_zero_prefix_holds_every_address_of_its_family_only() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(at("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(at("2001:db8::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(at("203.0.113.9"))).isFalse();
    }

    @Test
    void an_ipv4_mapped_block_is_its_ipv4_block() {
        assertThat(Cidr.parse("::ffff:10.0.0.0/104").contains(at("10.9.9.9"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(at("::ffff:10.9.9.9"))).isTrue();
    }

    @Test
    void bad_entries_are_refused_naming_the_entry_and_the_fault() {
        assertThatThrownBy(() -> Cidr.parse("proxy.example")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'proxy.example'").hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("'10.0.0.0/33'").hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::/129")).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8x")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Cidr.parse("300.0.0.0/8")).hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> Cidr.parse("10/8")).hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> Cidr.parse("fe80::1%eth0")).hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> Cidr.parse("")).hasMessageContaining("not an IPv4 or IPv6 address");
    }

    @Test
    void bits_beyond_the_prefix_are_refused_naming_where_the_block_starts() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("'10.0.0.1/8'")
                .hasMessageContaining("beyond the /8 prefix").hasMessageContaining("10.0.0.0");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32")).hasMessageContaining("beyond the /32 prefix");
    }
}
