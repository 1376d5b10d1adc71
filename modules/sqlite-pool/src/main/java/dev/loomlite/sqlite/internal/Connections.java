package dev.loomlite.sqlite.internal;

import dev.loomlite.sqlite.PoolConfig;
import dev.loomlite.sqlite.PoolException;
import dev.loomlite.sqlite.Synchronous;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.JDBC;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * Opens connections with production settings applied through {@link SQLiteConfig} (one pragma per setting,
 * never a multi-statement init string) and turns open failures into messages that say what is wrong.
 * Called on the thread that will own the connection.
 */
final class Connections {
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    private Connections() {
    }

    /** The write connection: creates the directory and file, switches to WAL, runs {@code PRAGMA optimize}. */
    static Conn openWriter(DbState db, PoolConfig config, Runner runner) {
        Path dir = config.directory();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new PoolException(db + ": cannot create directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new PoolException(db + ": directory " + dir + " is not writable (SQLite needs it for the file, "
                    + "its -wal and -shm)");
        }
        if (Files.exists(db.path) && !Files.isRegularFile(db.path)) {
            throw new PoolException(db + ": " + db.path + " exists and is not a regular file");
        }
        SQLiteConfig c = common(config);
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setJournalSizeLimit((int) Math.min(Integer.MAX_VALUE, config.journalSizeLimit()));
        c.setWalAutocheckpoint(runner.confinement.walAutocheckpointPages());
        Conn conn = open(db, config, c, runner, true);
        try {
            conn.execOnce("PRAGMA optimize=0x10002");
        } catch (SQLException e) {
            conn.closeQuietly();
            throw failure(db, config, e);
        }
        return opened(conn, "writer");
    }

    /**
     * The background checkpointer's connection ({@link Checkpointer}): read-write (a checkpoint writes the
     * database file) but it never starts a transaction. A checkpoint fsyncs the WAL before copying it back and
     * the database file after, at {@code NORMAL} and {@code FULL} alike, on this thread: off the commit path.
     * The file exists: its writer opened it first.
     */
    static Conn openCheckpointer(DbState db, PoolConfig config, Runner runner) {
        SQLiteConfig c = common(config);
        c.setWalAutocheckpoint(0);
        return opened(open(db, config, c, runner, false), "checkpointer");
    }

    /** A read-only connection ({@code SQLITE_OPEN_READONLY} and {@code query_only}); the file must exist. */
    static Conn openReader(DbState db, PoolConfig config, Runner runner) {
        SQLiteConfig c = common(config);
        c.setReadOnly(true);
        Conn conn = open(db, config, c, runner, false);
        try {
            conn.execOnce("PRAGMA query_only=1");
        } catch (SQLException e) {
            conn.closeQuietly();
            throw failure(db, config, e);
        }
        return opened(conn, "reader");
    }

    /**
     * Settings of every connection. {@code synchronous} matters on the writer (at {@code FULL} each commit
     * fsyncs the WAL before it returns; at {@code NORMAL} only checkpoints fsync) and on the checkpointer; a
     * read-only connection never writes, so it costs readers nothing, and every connection reports the same level.
     */
    private static SQLiteConfig common(PoolConfig config) {
        SQLiteConfig c = new SQLiteConfig();
        c.setSynchronous(config.synchronous() == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
        c.enforceForeignKeys(true);
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        c.setCacheSize(-config.cacheSizeKib());
        c.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(config.mmapSize()));
        // We never read generated keys through JDBC: insert() asks last_insert_rowid(), writeQuery() RETURNING.
        c.setGetGeneratedKeys(false);
        return c;
    }

    private static Conn open(DbState db, PoolConfig config, SQLiteConfig c, Runner runner, boolean writer) {
        SQLiteConnection raw;
        try {
            raw = JDBC.createConnection("jdbc:sqlite:" + db.path, c.toProperties());
        } catch (SQLException e) {
            throw failure(db, config, e);
        }
        Interrupter interrupter = runner.interrupter();
        try {
            ProgressHandler.setHandler(raw, Interrupter.PERIOD, interrupter);
        } catch (SQLException e) {
            try {
                raw.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw failure(db, config, e);
        }
        return new Conn(db, raw, config.statementCacheSize(), interrupter, writer);
    }

    /**
     * Emits {@link ConnectionOpenedEvent} with what SQLite reports for {@code conn} (two {@code PRAGMA} reads, only
     * while the event is recorded). Called on the owning thread.
     */
    private static Conn opened(Conn conn, String role) {
        ConnectionOpenedEvent event = new ConnectionOpenedEvent();
        if (event.isEnabled()) {
            event.database = conn.db.name;
            event.role = role;
            try {
                event.synchronous = SYNCHRONOUS_NAMES[Integer.parseInt(conn.queryText("PRAGMA synchronous")) & 3];
                event.journalMode = conn.queryText("PRAGMA journal_mode");
            } catch (SQLException e) {
                event.synchronous = "unknown: " + e.getMessage();
            }
            event.commit();
        }
        return conn;
    }

    /** {@code PRAGMA synchronous}'s numbers, in order. */
    private static final String[] SYNCHRONOUS_NAMES = {"OFF", "NORMAL", "FULL", "EXTRA"};

    /** Translates an open failure into a message naming the cause: not a database, not writable, locked. */
    static PoolException failure(DbState db, PoolConfig config, SQLException e) {
        int code = e.getErrorCode() & 0xff;
        String why = switch (code) {
            case SQLITE_NOTADB -> "file " + db.path + " is not a SQLite database";
            case SQLITE_BUSY, SQLITE_LOCKED -> "file " + db.path + " is locked by another process or connection"
                    + " (waited busy_timeout " + config.busyTimeout().toMillis() + " ms)";
            case SQLITE_READONLY -> "file " + db.path + " or its directory is not writable";
            case SQLITE_CANTOPEN -> Files.isWritable(config.directory())
                    ? "file " + db.path + " cannot be opened"
                    : "directory " + config.directory() + " is not writable";
            default -> "cannot open " + db.path;
        };
        return new PoolException(db + ": " + why + ": " + e.getMessage(), e);
    }
}
