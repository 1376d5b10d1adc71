/**
 * The public API of the pool: {@link dev.loomlite.sqlite.SqlitePool}, {@link dev.loomlite.sqlite.Database},
 * {@link dev.loomlite.sqlite.PoolConfig} and the exceptions rooted at {@link dev.loomlite.sqlite.PoolException}.
 *
 * <pre>{@code
 * Database db = pool.database("tenant-42");
 * int changed = db.update("UPDATE user SET name = ? WHERE id = ?", "bob", 7);
 * }</pre>
 */
package dev.loomlite.sqlite;
