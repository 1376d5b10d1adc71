package dev.loomlite.server.internal;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A request as its client made it: from which address, over which scheme, to which host. Without a trusted proxy
 * in front these are the connection's own (the TCP peer, {@code http}, the {@code Host} header); behind one, what
 * the proxy says it received (see {@link TrustedProxies}).
 *
 * @param address   the client's address; empty when the peer's address could not be read
 * @param peer      the TCP peer as the socket reports it (the fallback sign-in limit key)
 * @param scheme    {@code http} or {@code https}
 * @param host      the authority the client asked for ({@code host[:port]}, lower case); empty when none was sent
 * @param loopback  the TCP peer is on this machine
 * @param forwarded the request carries a forwarding header ({@code Forwarded}, {@code X-Forwarded-*},
 *                  {@code X-Real-IP}), trusted or not
 */
record ClientView(Optional<InetAddress> address, String peer, String scheme, Optional<String> host, boolean loopback,
                  boolean forwarded) {

    /** What the sign-in limit counts by (see {@link ClientAddress#limitKey(InetAddress)}). */
    String limitKey() {
        return address.map(ClientAddress::limitKey).orElse("unparsed:" + peer);
    }

    /** The client reached the server over HTTPS (through a TLS-terminating proxy: the server has no TLS itself). */
    boolean https() {
        return "https".equals(scheme);
    }

    /**
     * A client on this machine that reached the server directly: a loopback peer that carries no forwarding header.
     * A local reverse proxy connects from loopback too, but says whom it forwards for (trusted or not): its requests
     * are not local.
     */
    boolean local() {
        return loopback && !forwarded;
    }
}
