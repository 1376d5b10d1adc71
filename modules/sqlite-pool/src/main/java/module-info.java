/**
 * A confined-connection SQLite pool.
 *
 * <p>A small fixed set of named platform threads own every SQLite connection; callers (typically virtual
 * threads) hand work over and block on the result, so no virtual thread ever pins its carrier inside
 * sqlite-jdbc's native code. One writer thread owns the only write connection of each database file and
 * group-commits the writes queued for it; reader threads share the read load over read-only WAL connections.
 *
 * <pre>{@code
 * try (SqlitePool pool = SqlitePool.open(PoolConfig.builder(Path.of("data"))
 *         .migrations(List.of(Migration.sql(1, "users", "CREATE TABLE user(id INTEGER PRIMARY KEY, name TEXT)")))
 *         .build())) {
 *     Database db = pool.database("main");
 *     long id = db.insert("INSERT INTO user(name) VALUES (?)", "alice");
 *     Optional<String> name = db.queryOne("SELECT name FROM user WHERE id = ?", rs -> rs.getString(1), id);
 * }
 * }</pre>
 */
module dev.loomlite.sqlite {
    // Work units and row mappers receive java.sql types (Connection, ResultSet), so callers need java.sql too.
    requires transitive java.sql;
    requires org.xerial.sqlitejdbc;
    // JFR events for slow tasks.
    requires jdk.jfr;

    exports dev.loomlite.sqlite;
}
