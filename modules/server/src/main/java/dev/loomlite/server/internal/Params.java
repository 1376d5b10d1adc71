package dev.loomlite.server.internal;

import dev.loomlite.chat.HistoryQuery;
import java.util.regex.Pattern;

/** Path and query parameters: parsed strictly, rejected with 400 naming the parameter and its rule. */
final class Params {
    private static final Pattern ROOM_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private Params() {
    }

    /** {@code [a-z0-9][a-z0-9-]{0,63}}. */
    static String roomId(String raw) {
        if (raw == null || !ROOM_ID.matcher(raw).matches()) {
            throw ApiException.badRequest("roomId", "roomId must be 1 to 64 of [a-z0-9-], starting with a letter or digit");
        }
        return raw;
    }

    /** A sequence number {@code >= 0}, or {@code fallback} when absent. */
    static long seq(String raw, String field, long fallback) {
        if (raw == null) {
            return fallback;
        }
        if (!DIGITS.matcher(raw).matches()) {
            throw ApiException.badRequest(field, field + " must be an integer >= 0");
        }
        return Long.parseLong(raw);
    }

    /** A room history's epoch, {@code >= 1}; 1 when absent (clients that predate epochs hold epoch 1). */
    static long epoch(String raw) {
        if (raw == null) {
            return 1;
        }
        if (!DIGITS.matcher(raw).matches() || Long.parseLong(raw) < 1) {
            throw ApiException.badRequest("epoch", "epoch must be an integer >= 1");
        }
        return Long.parseLong(raw);
    }

    /** A page size from 1 to {@link HistoryQuery#MAX_LIMIT}; {@link HistoryQuery#DEFAULT_LIMIT} when absent. */
    static int limit(String raw) {
        if (raw == null) {
            return HistoryQuery.DEFAULT_LIMIT;
        }
        if (!DIGITS.matcher(raw).matches() || Long.parseLong(raw) < 1 || Long.parseLong(raw) > HistoryQuery.MAX_LIMIT) {
            throw ApiException.badRequest("limit", "limit must be an integer from 1 to " + HistoryQuery.MAX_LIMIT);
        }
        return Integer.parseInt(raw);
    }
}
