package dev.loomlite.server.internal;

/** The display-name rule: 1 to 32 characters after trimming, no control, separator or bidi-override characters. */
final class Names {
    static final int MAX_LENGTH = 32;

    private Names() {
    }

    /**
     * @return the trimmed name
     * @throws ApiException 400 naming {@code name} and the rule it breaks
     */
    static String valid(String raw) {
        if (raw == null) {
            throw ApiException.badRequest("name", "name is required");
        }
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_LENGTH) {
            throw ApiException.badRequest("name", "name must be 1 to " + MAX_LENGTH + " characters after trimming");
        }
        if (name.codePoints().anyMatch(Names::forbidden)) {
            throw ApiException.badRequest("name", "name must not contain control characters");
        }
        return name;
    }

    private static boolean forbidden(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE,
                 Character.UNASSIGNED -> true;
            // Bidirectional embeddings, overrides and isolates make a name render as someone else's.
            default -> (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
        };
    }
}
