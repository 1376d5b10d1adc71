package dev.loomlite.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.core.CoreStatement;

/**
 * A bounded LRU of prepared statements for one connection; confined to the connection's owning thread.
 * Evicted statements are closed at once; {@link #closeAll()} closes the rest. With capacity 0 nothing is kept
 * and callers close each statement after use ({@link #cached(PreparedStatement)} tells which).
 */
final class StatementCache {
    private final Connection connection;
    private final int capacity;
    /** A prepared statement and its parameter count (asking sqlite-jdbc for it costs an allocation). */
    record Prepared(PreparedStatement statement, int parameters) {
    }

    // Owning thread only.
    private final LinkedHashMap<String, Prepared> statements;
    // Owning thread only: statements closed by eviction, for tests and metrics.
    private long evictions;
    // Owning thread only: the last statement handed out, keyed by the identity of its SQL string. Point-read
    // loops reuse one string constant, so this skips the map (hash, LRU relinking) on most calls.
    private String lastSql;
    private Prepared last;

    StatementCache(Connection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
        this.statements = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
                if (size() <= StatementCache.this.capacity) {
                    return false;
                }
                evictions++;
                closeQuietly(eldest.getValue().statement());
                return true;
            }
        };
    }

    /** A prepared statement for {@code sql}: cached when capacity allows, else fresh (close it after use). */
    Prepared prepare(String sql) throws SQLException {
        if (capacity == 0) {
            return fresh(sql);
        }
        Prepared p = last;
        if (sql == lastSql && !p.statement().isClosed()) {
            return p;
        }
        if (lastSql != null) {
            statements.get(lastSql); // the fast path skipped its LRU touches: make it most recent again
        }
        p = statements.get(sql);
        if (p == null || p.statement().isClosed()) {
            p = fresh(sql);
            statements.put(sql, p);
        }
        lastSql = sql;
        last = p;
        return p;
    }

    private Prepared fresh(String sql) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        return new Prepared(ps, ps.getParameterMetaData().getParameterCount());
    }

    /**
     * After a statement from {@link #prepare} failed; the failure path only. sqlite-jdbc finalizes a statement's
     * native handle on most errors (all but BUSY, LOCKED, CONSTRAINT and MISUSE: an interrupt, an I/O error) while
     * the JDBC object still says it is open: such a statement leaves the cache, or every later use of its SQL
     * (a point read stopped once at its deadline, the connection's COMMIT after an I/O error) would fail with
     * "statement is not executing".
     */
    void discardIfFinalized(PreparedStatement ps) {
        if (capacity == 0 || !(ps instanceof CoreStatement core) || !core.pointer.isClosed()) {
            return;
        }
        if (last != null && last.statement() == ps) {
            lastSql = null;
            last = null;
        }
        statements.values().removeIf(p -> p.statement() == ps);
        closeQuietly(ps);
    }

    /** Whether a statement from {@link #prepare} stays cached (else the caller must close it). */
    boolean cached(PreparedStatement ps) {
        return capacity != 0;
    }

    int size() {
        return statements.size();
    }

    long evictions() {
        return evictions;
    }

    void closeAll() {
        for (Prepared p : statements.values()) {
            closeQuietly(p.statement());
        }
        statements.clear();
        lastSql = null;
        last = null;
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException | RuntimeException ignored) {
            // Closing a statement of a broken connection: nothing left to release.
        }
    }
}
