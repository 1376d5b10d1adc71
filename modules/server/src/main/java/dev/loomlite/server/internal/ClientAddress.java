package dev.loomlite.server.internal;

import io.javalin.http.Context;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The peer of a request's connection, as the socket reports it: no forwarding header is trusted for identity, since
 * any client can send one. Behind a reverse proxy every request therefore comes from the proxy's address (see the
 * server's README).
 */
final class ClientAddress {
    private ClientAddress() {
    }

    /**
     * What the sign-in limit counts by: an IPv4 address, or the /64 prefix of an IPv6 address (one subscriber usually
     * holds a whole /64, so counting single IPv6 addresses would give one client 2^64 buckets).
     */
    static String limitKey(Context ctx) {
        String remote = ctx.req().getRemoteAddr();
        return parse(remote).map(ClientAddress::limitKey).orElse("unparsed:" + remote);
    }

    static String limitKey(InetAddress address) {
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(address.getAddress(), 0, 8) + "::/64";
        }
        return address.getHostAddress();
    }

    /**
     * A client on this machine that reached the server directly: a loopback peer that carries no forwarding header.
     * A local reverse proxy connects from loopback too, but says whom it forwards for; its requests are not local.
     */
    static boolean isLocal(Context ctx) {
        boolean loopback = parse(ctx.req().getRemoteAddr()).map(InetAddress::isLoopbackAddress).orElse(false);
        return loopback && ctx.header("Forwarded") == null && ctx.header("X-Forwarded-For") == null
                && ctx.header("X-Real-IP") == null;
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
