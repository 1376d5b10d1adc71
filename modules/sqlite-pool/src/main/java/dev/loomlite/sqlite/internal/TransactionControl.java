package dev.loomlite.sqlite.internal;

/**
 * Recognises SQL that starts, ends or splits a transaction ({@code BEGIN}, {@code COMMIT}, {@code END},
 * {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}) by its leading keyword, after whitespace and
 * comments. The pool owns the writer's transaction, which holds other callers' writes: such a statement would
 * commit them early or roll them back, so it is refused before it runs. sqlite-jdbc compiles only the first
 * statement of a string, so the leading keyword is the statement that would run.
 */
final class TransactionControl {
    private static final String[] KEYWORDS = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"};
    private static final int SHOWN = 200;

    private TransactionControl() {
    }

    /** Throws {@link IllegalArgumentException} naming the statement when it is transaction control. */
    static void refuse(String sql) {
        if (isTransactionControl(sql)) {
            String shown = sql.strip();
            if (shown.length() > SHOWN) {
                shown = shown.substring(0, SHOWN) + "...";
            }
            throw new IllegalArgumentException("transaction control is the pool's: '" + shown + "' would end or"
                    + " split the writer's transaction, which holds other callers' writes; use write(Work) for an"
                    + " atomic unit (throw from it to roll back)");
        }
    }

    static boolean isTransactionControl(String sql) {
        int start = skipBlanksAndComments(sql);
        for (String keyword : KEYWORDS) {
            int end = start + keyword.length();
            if (sql.regionMatches(true, start, keyword, 0, keyword.length())
                    && (end == sql.length() || !identifierPart(sql.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first character that is neither whitespace nor inside a comment. */
    private static int skipBlanksAndComments(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2; // SQLite accepts an unterminated comment up to the end
            } else {
                return i;
            }
        }
        return n;
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }
}
