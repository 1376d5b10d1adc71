package dev.loomlite.chat;

/**
 * The input rules of the pipeline: what {@link ChatService#send} checks, for clients that check a message
 * before they queue it (the JVM outbox does) and get the same {@link ValidationException} the server would
 * answer with 400. Messages name the field and the limit, never the value. Lengths are counted in UTF-16 code
 * units ({@link String#length()}), as the web page counts them.
 *
 * <pre>{@code
 * InputRules.checkRoomId("general");
 * InputRules.checkContent(text);        // throws ValidationException("content", "content must be at most 4000 characters")
 * InputRules.check(request);            // every field of a send, as ChatService.send does
 * }</pre>
 */
public final class InputRules {
    /** The longest content, in UTF-16 code units. */
    public static final int MAX_CONTENT = 4000;
    /** The longest author display name, in UTF-16 code units. */
    public static final int MAX_AUTHOR_NAME = 64;
    /** The longest author id. */
    public static final int MAX_AUTHOR_ID = 128;

    private InputRules() {
    }

    /**
     * Checks every field of a send, as {@link ChatService#send} does.
     *
     * @throws ValidationException for the first field out of bounds, naming it
     */
    public static void check(SendRequest request) {
        checkRoomId(request.roomId());
        checkClientId(request.clientId());
        checkContent(request.content());
        if (request.replyToId().isPresent()) {
            checkReplyToId(request.replyToId().getAsLong());
        }
        checkAuthorId(request.authorId());
        checkAuthorName(request.authorName());
    }

    /** {@code [a-z0-9][a-z0-9-]{0,63}}. */
    public static void checkRoomId(String roomId) {
        if (!isRoomId(roomId)) {
            throw new ValidationException("roomId",
                    "roomId must be 1 to 64 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }

    /** {@code [A-Za-z0-9_-]{1,64}}, the same on every retry of one message. */
    public static void checkClientId(String clientId) {
        if (!isClientId(clientId)) {
            throw new ValidationException("clientId", "clientId must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
    }

    /**
     * Not blank, at most {@value #MAX_CONTENT} UTF-16 code units, no control characters but newline and tab,
     * no unpaired surrogates.
     */
    public static void checkContent(String content) {
        if (content == null || content.isBlank()) {
            throw new ValidationException("content", "content must not be empty");
        }
        if (content.length() > MAX_CONTENT) {
            throw new ValidationException("content", "content must be at most " + MAX_CONTENT + " characters");
        }
        if (hasForbidden(content, true)) {
            throw new ValidationException("content", "content must not contain control characters other than newline"
                    + " and tab, nor unpaired UTF-16 surrogates");
        }
    }

    /** A message id: positive (and, for the service, a message of the same room). */
    public static void checkReplyToId(long replyToId) {
        if (replyToId <= 0) {
            throw new ValidationException("replyToId", "replyToId must be a positive message id");
        }
    }

    /** 1 to {@value #MAX_AUTHOR_ID} characters, no control characters nor unpaired surrogates. */
    public static void checkAuthorId(String authorId) {
        if (authorId == null || authorId.isBlank() || authorId.length() > MAX_AUTHOR_ID || hasForbidden(authorId, false)) {
            throw new ValidationException("authorId", "authorId must be 1 to " + MAX_AUTHOR_ID
                    + " characters without control characters or unpaired UTF-16 surrogates");
        }
    }

    /** 1 to {@value #MAX_AUTHOR_NAME} characters, no control characters nor unpaired surrogates. */
    public static void checkAuthorName(String authorName) {
        if (authorName == null || authorName.isBlank() || authorName.length() > MAX_AUTHOR_NAME
                || hasForbidden(authorName, false)) {
            throw new ValidationException("authorName", "authorName must be 1 to " + MAX_AUTHOR_NAME
                    + " characters without control characters or unpaired UTF-16 surrogates");
        }
    }

    /** {@code [a-z0-9][a-z0-9-]{0,63}}, without a regex (it runs on every send). */
    static boolean isRoomId(String s) {
        if (s == null || s.isEmpty() || s.length() > 64 || s.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9_-]{1,64}}. */
    static boolean isClientId(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} has a control character (newline and tab allowed when asked) or an unpaired surrogate.
     * SQLite stores text as UTF-8, where an unpaired surrogate has no encoding (the driver writes '?'): the
     * stored value would differ from the one sent, and keys compared in Java would not match the stored ones.
     */
    private static boolean hasForbidden(String s, boolean allowNewlineAndTab) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && !(allowNewlineAndTab && (c == '\n' || c == '\t'))) {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a valid pair
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
