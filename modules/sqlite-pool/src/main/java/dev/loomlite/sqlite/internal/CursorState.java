package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.RowMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reader-side half of a worker-mode cursor: its own read-only connection, statement and result set.
 * Confined to the owning reader thread; the consumer reaches it only through tasks in that reader's inbox.
 */
final class CursorState<T> {
    private final ReaderWorker owner;
    private final Conn conn;
    private final RowMapper<T> mapper;
    private final int pageSize;
    private final CursorSlots.Slot slot;
    // Owning reader thread only.
    private PreparedStatement statement;
    private ResultSet rows;
    private boolean released;

    private CursorState(ReaderWorker owner, Conn conn, RowMapper<T> mapper, int pageSize, CursorSlots.Slot slot) {
        this.owner = owner;
        this.conn = conn;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.slot = slot;
    }

    /**
     * On a reader: opens the statement on a cursor connection of that reader and maps the first page. From here
     * on the state owns {@code slot} and gives it back in {@link #release()}.
     */
    static <T> Opened<T> open(DbState db, String sql, RowMapper<T> mapper, int pageSize, Object[] params,
                              CursorSlots.Slot slot) throws SQLException {
        ReaderWorker me = (ReaderWorker) Threads.currentWorker();
        CursorState<T> state = new CursorState<>(me, me.takeCursorConn(db), mapper, pageSize, slot);
        me.cursors.add(state);
        try {
            state.statement = state.conn.raw.prepareStatement(sql);
            SessionImpl.bindAll(state.statement, sql, params);
            state.conn.interrupter.begin(me.currentTask());
            try {
                state.rows = state.statement.executeQuery();
            } finally {
                state.conn.interrupter.end();
            }
            return new Opened<>(state, me, state.page());
        } catch (SQLException | RuntimeException e) {
            state.release();
            throw e;
        }
    }

    record Opened<T>(CursorState<T> state, ReaderWorker owner, List<T> firstPage) {
    }

    /** On the owning reader: maps up to one page; a short page means the result is exhausted (released). */
    List<T> page() throws SQLException {
        if (released) {
            throw new SQLException("cursor is closed (its reader was closed or replaced)");
        }
        List<T> page = new ArrayList<>(Math.min(pageSize, 1024));
        conn.interrupter.begin(owner.currentTask());
        try {
            while (page.size() < pageSize && rows.next()) {
                page.add(mapper.map(rows));
            }
        } catch (SQLException | RuntimeException e) {
            conn.interrupter.end();
            release();
            throw e;
        } finally {
            conn.interrupter.end();
        }
        if (page.size() < pageSize) {
            release();
        }
        return page;
    }

    /**
     * On the owning reader, for a cursor the cleaner found unreachable: releases it if it still held its snapshot
     * (an exhausted cursor had released itself) and reports the leak.
     */
    void releaseLeaked(String sql) {
        if (!released) {
            release();
            CursorLeaks.report(conn.db, sql);
        }
    }

    /**
     * On the owning reader: closes the result set and statement, gives the connection back and frees the
     * cursor's slot. Idempotent.
     */
    void release() {
        if (released) {
            return;
        }
        released = true;
        slot.release();
        owner.cursors.remove(this);
        if (!closeResults(rows, statement)) {
            conn.closeQuietly(); // a broken connection: closing it releases everything
            return;
        }
        owner.returnCursorConn(conn);
    }

    /**
     * Closes a cursor's result set and statement (either may be null), on the connection's owning thread.
     * Shared by both modes' cursors.
     *
     * @return false when closing failed: the connection is suspect and should be closed
     */
    static boolean closeResults(ResultSet rows, PreparedStatement statement) {
        try {
            if (rows != null) {
                rows.close();
            }
            if (statement != null) {
                statement.close();
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
