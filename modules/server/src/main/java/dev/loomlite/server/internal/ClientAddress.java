package dev.loomlite.server.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Client addresses: reading them (never a DNS lookup) and the key the sign-in limit counts by. Which address a
 * request comes from (the TCP peer, or what a trusted proxy says) is {@link TrustedProxies}'s decision.
 */
final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * What the sign-in limit counts by: an IPv4 address, or the /64 prefix of an IPv6 address (one subscriber usually
     * holds a whole /64, so counting single IPv6 addresses would give one client 2^64 buckets).
     */
    static String limitKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }

    /** A literal address ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}, {@code fe80::1%eth0}); never a DNS lookup. */
    static Optional<InetAddress> parse(String remote) {
        if (remote == null || remote.isEmpty()) {
            return Optional.empty();
        }
        String literal = remote.startsWith("[") && remote.endsWith("]") ? remote.substring(1, remote.length() - 1) : remote;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        try {
            // IPv4-mapped IPv6 literals (::ffff:192.0.2.1) come back as the IPv4 address.
            return Optional.of(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
