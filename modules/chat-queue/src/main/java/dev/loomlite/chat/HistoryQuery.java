package dev.loomlite.chat;

/**
 * Which page of a room's history to read.
 *
 * <pre>{@code
 * HistoryQuery.after(120, 100);   // up to 100 messages with seq > 120, ascending
 * HistoryQuery.before(120, 50);   // the newest 50 with seq < 120, ascending
 * HistoryQuery.latest(100);       // the newest 100, ascending
 * }</pre>
 *
 * @param direction after, before or latest
 * @param seq       the bound (exclusive); ignored for latest
 * @param limit     1 to {@link #MAX_LIMIT}
 */
public record HistoryQuery(Direction direction, long seq, int limit) {
    /** The largest page. */
    public static final int MAX_LIMIT = 500;
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    /** Which side of {@code seq} to read. */
    public enum Direction { AFTER, BEFORE, LATEST }

    public HistoryQuery {
        if (direction == null) {
            throw new ValidationException("direction", "direction is required");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (seq < 0) {
            throw new ValidationException(direction == Direction.BEFORE ? "before" : "after", "seq must be >= 0");
        }
    }

    public static HistoryQuery after(long seq, int limit) {
        return new HistoryQuery(Direction.AFTER, seq, limit);
    }

    public static HistoryQuery before(long seq, int limit) {
        return new HistoryQuery(Direction.BEFORE, seq, limit);
    }

    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(Direction.LATEST, 0, limit);
    }
}
