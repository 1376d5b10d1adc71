package dev.loomlite.server.internal;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose forwarding headers are believed ({@code --trusted-proxies}), and what a request looks
 * like to its client once they are.
 *
 * <p>Only when the TCP peer lies in a trusted block are the headers read at all; an untrusted peer's are ignored
 * entirely (anyone can send them). The client is found the standard way, from the right: each proxy appends the
 * address it received the request from, so the entries are walked right to left, skipping those that are trusted
 * proxies themselves, and the first address that is not is the client. The leftmost entry is never believed just
 * for being first: a client may send the header with anything in it, and a proxy appends to what it got. The
 * entries come from {@code Forwarded} ({@code for=}) when the request has one, else from {@code X-Forwarded-For}.
 * An entry that is not an address ({@code unknown}, an obfuscated {@code _name}, garbage) ends the walk: the client
 * cannot be told, and the last trusted hop reached (at first the peer) stands for it.
 *
 * <p>The scheme and host come from the {@code proto=}/{@code host=} of the {@code Forwarded} element where the walk
 * ended (the one the proxy facing the client wrote), else from the last value of {@code X-Forwarded-Proto} /
 * {@code X-Forwarded-Host} (the one the nearest proxy set), else from the connection itself. Values that are not
 * {@code http}/{@code https}, or not a {@code host[:port]}, are ignored. Immutable; any request thread calls
 * {@link #view}.
 */
final class TrustedProxies {
    private static final Pattern HOST = Pattern.compile("[a-z0-9._-]+(:[0-9]{1,5})?|\\[[0-9a-f:.]+\\](:[0-9]{1,5})?");
    private static final List<String> FORWARDING = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
            "X-Forwarded-Host", "X-Real-IP");

    private final List<Cidr> blocks;

    private TrustedProxies(List<Cidr> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** @param cidrs the configured blocks ({@code ServerConfig.trustedProxies()}, already validated) */
    static TrustedProxies of(List<String> cidrs) {
        return new TrustedProxies(cidrs.stream().map(Cidr::parse).toList());
    }

    boolean trusts(InetAddress address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    ClientView view(Context ctx) {
        return view(ctx.req().getRemoteAddr(), ctx.scheme(), ctx.header("Host"),
                name -> Collections.list(ctx.req().getHeaders(name)));
    }

    /**
     * @param peer    the TCP peer's address as the socket reports it
     * @param scheme  the connection's scheme
     * @param host    the {@code Host} header, or null
     * @param headers every line of a header, by name (case-insensitive); empty when absent
     */
    ClientView view(String peer, String scheme, String host, Function<String, List<String>> headers) {
        Optional<InetAddress> address = ClientAddress.parse(peer);
        boolean loopback = address.map(InetAddress::isLoopbackAddress).orElse(false);
        boolean forwarded = FORWARDING.stream().anyMatch(name -> !headers.apply(name).isEmpty());
        Optional<String> ownHost = host(host);
        if (address.isEmpty() || !forwarded || !trusts(address.get())) {
            return new ClientView(address, peer, scheme, ownHost, loopback, forwarded);
        }
        String forwardedHeader = String.join(",", headers.apply("Forwarded"));
        Hop client = forwardedHeader.isBlank()
                ? walk(address.get(), String.join(",", headers.apply("X-Forwarded-For")))
                : walk(address.get(), ForwardedHeader.elements(forwardedHeader));
        String clientScheme = client.param("proto").flatMap(TrustedProxies::scheme)
                .or(() -> last(headers.apply("X-Forwarded-Proto")).flatMap(TrustedProxies::scheme))
                .orElse(scheme);
        Optional<String> clientHost = client.param("host").flatMap(TrustedProxies::host)
                .or(() -> last(headers.apply("X-Forwarded-Host")).flatMap(TrustedProxies::host))
                .or(() -> ownHost);
        return new ClientView(Optional.of(client.address), peer, clientScheme, clientHost, loopback, true);
    }

    /** Where a walk ended: the client's address, and the {@code Forwarded} element naming it, if any. */
    private record Hop(InetAddress address, Map<String, String> element) {
        Optional<String> param(String name) {
            return Optional.ofNullable(element.get(name));
        }
    }

    private Hop walk(InetAddress peer, List<Map<String, String>> elements) {
        InetAddress client = peer;
        Map<String, String> at = Map.of();
        for (Map<String, String> element : elements.reversed()) {
            at = element;
            Optional<InetAddress> hop = Optional.ofNullable(element.get("for")).flatMap(ForwardedHeader::node);
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
            if (!trusts(client)) {
                break;
            }
        }
        return new Hop(client, at);
    }

    private Hop walk(InetAddress peer, String xForwardedFor) {
        InetAddress client = peer;
        if (xForwardedFor.isBlank()) {
            return new Hop(client, Map.of());
        }
        for (String entry : ForwardedHeader.split(xForwardedFor, ',').reversed()) {
            Optional<InetAddress> hop = ForwardedHeader.node(entry);
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get();
            if (!trusts(client)) {
                break;
            }
        }
        return new Hop(client, Map.of());
    }

    private static Optional<String> last(List<String> lines) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        List<String> values = ForwardedHeader.split(String.join(",", lines), ',');
        return Optional.of(values.getLast());
    }

    private static Optional<String> scheme(String value) {
        String scheme = value.strip().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") ? Optional.of(scheme) : Optional.empty();
    }

    private static Optional<String> host(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String host = value.strip().toLowerCase(Locale.ROOT);
        return HOST.matcher(host).matches() ? Optional.of(host) : Optional.empty();
    }
}
