package dev.loomlite.server.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the forwarding headers: RFC 7239 {@code Forwarded} ({@code for=192.0.2.60;proto=https;host=chat.example,
 * for="[2001:db8::1]:4711"}) and the list of {@code X-Forwarded-For}. Syntax only: which entries to believe is
 * {@link TrustedProxies}'s decision. Stateless.
 */
final class ForwardedHeader {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}|_[A-Za-z0-9._-]+");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private ForwardedHeader() {
    }

    /**
     * The elements of a {@code Forwarded} value (all its lines joined with commas), left to right: one map of
     * lower-case parameter names to values per proxy hop. An element that breaks the syntax (a parameter twice, a
     * value that is neither a token nor a quoted string) is an empty map: it names no one.
     */
    static List<Map<String, String>> elements(String header) {
        List<Map<String, String>> elements = new ArrayList<>();
        for (String element : split(header, ',')) {
            elements.add(pairs(element).orElse(Map.of()));
        }
        return elements;
    }

    private static Optional<Map<String, String>> pairs(String element) {
        Map<String, String> pairs = new HashMap<>();
        for (String pair : split(element, ';')) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            Optional<String> value = value(pair.substring(eq + 1).strip());
            if (!TOKEN.matcher(name).matches() || value.isEmpty() || pairs.putIfAbsent(name, value.get()) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(pairs);
    }

    /** A token as it is, or a quoted string without its quotes and escapes. */
    private static Optional<String> value(String raw) {
        if (TOKEN.matcher(raw).matches()) {
            return Optional.of(raw);
        }
        if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
            return Optional.empty();
        }
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                c = raw.charAt(++i);
            } else if (c == '"' || c == '\\') {
                return Optional.empty();
            }
            value.append(c);
        }
        return Optional.of(value.toString());
    }

    /** Splits at {@code separator} outside quoted strings; each part stripped. */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == separator && !quoted) {
                parts.add(part.toString().strip());
                part.setLength(0);
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < text.length()) {
                part.append(c);
                c = text.charAt(++i);
            }
            part.append(c);
        }
        parts.add(part.toString().strip());
        return parts;
    }

    /**
     * The address of one hop: {@code 192.0.2.60}, {@code 192.0.2.60:4711}, {@code [2001:db8::1]},
     * {@code [2001:db8::1]:4711}, or a bare {@code 2001:db8::1} (as {@code X-Forwarded-For} writes it). Empty for
     * {@code unknown}, an obfuscated identifier ({@code _hidden}) or anything else that is not an address literal;
     * never a DNS lookup.
     */
    static Optional<InetAddress> node(String value) {
        String node = value.strip();
        String literal;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0 || !port(node.substring(close + 1))) {
                return Optional.empty();
            }
            literal = node.substring(1, close);
        } else if (node.indexOf(':') >= 0 && node.indexOf(':') == node.lastIndexOf(':')) {
            int colon = node.indexOf(':');
            if (!port(node.substring(colon))) {
                return Optional.empty();
            }
            literal = node.substring(0, colon);
        } else {
            literal = node;
        }
        if (literal.contains("%") || !literal.contains(":") && !IPV4.matcher(literal).matches()) {
            return Optional.empty();
        }
        return ClientAddress.parse(literal);
    }

    /** Nothing, or {@code :} and a port number or an obfuscated port. */
    private static boolean port(String rest) {
        return rest.isEmpty() || rest.charAt(0) == ':' && PORT.matcher(rest.substring(1)).matches();
    }
}
