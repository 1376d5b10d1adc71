package dev.loomlite.server.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses written as {@code address/prefix} ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or
 * one address ({@code 192.0.2.7}, {@code ::1}: all its bits). Only literals: a host name is refused, never looked up.
 * Bits set beyond the prefix ({@code 10.0.0.1/8}) are refused too: they are a typo more often than not. Immutable.
 *
 * <pre>{@code
 * Cidr.parse("10.0.0.0/8").contains(InetAddress.ofLiteral("10.1.2.3"))   // true
 * }</pre>
 *
 * Public only so that {@code ServerConfig} validates its entries with it; the package is not exported.
 */
public final class Cidr {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");
    /** IPv4-mapped IPv6 blocks ({@code ::ffff:10.0.0.0/104}) are their IPv4 block: the JDK maps such addresses so. */
    private static final int MAPPED_BITS = 96;

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static Cidr parse(String entry) {
        String text = entry.strip();
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        boolean v6 = literal.contains(":");
        if (!v6 && !IPV4.matcher(literal).matches() || literal.contains("%")) {
            throw invalid(entry, "'" + literal + "' is not an IPv4 or IPv6 address");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(literal).getAddress();
        } catch (IllegalArgumentException e) {
            throw invalid(entry, "'" + literal + "' is not an IPv4 or IPv6 address");
        }
        int offset = v6 && bytes.length == 4 ? MAPPED_BITS : 0;
        int bits = bytes.length * 8 + offset;
        int prefix = slash < 0 ? bits : prefix(entry, text.substring(slash + 1), bits);
        if (prefix < offset) {
            throw invalid(entry, "an IPv4-mapped block needs a prefix of at least /" + MAPPED_BITS);
        }
        byte[] network = masked(bytes, prefix - offset);
        if (!Arrays.equals(network, bytes)) {
            throw invalid(entry, "bits are set beyond the /" + prefix + " prefix (the block starts at "
                    + addressOf(network).getHostAddress() + ")");
        }
        return new Cidr(network, prefix - offset, text);
    }

    private static int prefix(String entry, String digits, int bits) {
        if (!PREFIX.matcher(digits).matches() || Integer.parseInt(digits) > bits) {
            throw invalid(entry, "the prefix must be a number from 0 to " + bits + ", was '" + digits + "'");
        }
        return Integer.parseInt(digits);
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("trusted proxy '" + entry.strip() + "' is not a CIDR block like 10.0.0.0/8, "
                + "2001:db8::/32 or a single address: " + why);
    }

    /** Whether {@code address} lies in this block; an IPv4 address is never in an IPv6 block nor the reverse. */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] result = address.clone();
        for (int i = 0; i < result.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            result[i] &= (byte) (0xFF << (8 - keep));
        }
        return result;
    }

    private static InetAddress addressOf(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + bytes.length + " bytes", e);
        }
    }

    /** The entry as it was written, without surrounding blanks. */
    @Override
    public String toString() {
        return text;
    }
}
