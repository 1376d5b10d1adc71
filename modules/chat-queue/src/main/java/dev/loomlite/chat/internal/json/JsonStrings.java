package dev.loomlite.chat.internal.json;

/**
 * Writes a JSON string literal: for the client-id screen's key list ({@code json_each} over a batch's keys) and
 * for the JVM client's request bodies.
 *
 * <pre>{@code
 * JsonStrings.append(out, "say \"hi\"");   // appends "say \"hi\""
 * }</pre>
 */
public final class JsonStrings {
    private JsonStrings() {
    }

    /** Appends {@code s} quoted, with quotes, backslashes, control characters and U+2028/U+2029 escaped. */
    public static void append(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
