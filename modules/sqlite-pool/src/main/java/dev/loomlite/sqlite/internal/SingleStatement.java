package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.Work;

/**
 * A write that is one SQL statement and nothing else (no row mapping). SQLite already makes a failing
 * statement undo itself and leave the transaction open (the default ABORT conflict resolution), so the group
 * commit runs it without a savepoint of its own: two statements fewer per write. Where a FAIL rule keeps part
 * of a failed statement (declared in the schema, invisible in the SQL), the group commit sees the changed
 * {@code total_changes()} and rolls the whole group back, re-running the other writes. Not covered: changes
 * made only by a trigger before a {@code RAISE(FAIL)} (SQLite does not count trigger changes).
 */
@FunctionalInterface
interface SingleStatement<T> extends Work<T> {

    /** Whether {@code sql} may run bare: not when {@code OR FAIL} could leave half a statement applied. */
    static boolean eligible(String sql) {
        return !sql.toUpperCase(java.util.Locale.ROOT).contains("FAIL");
    }
}
