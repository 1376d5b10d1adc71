package dev.loomlite.sqlite;

import java.sql.SQLException;

/**
 * A unit of work run on the worker thread that owns a connection. Given to {@link Database#read(Work)} it
 * runs on a read-only connection; given to {@link Database#write(Work)} it runs atomically inside the
 * writer's transaction (its own savepoint): it commits when it returns and rolls back when it throws.
 *
 * <p><b>A write work unit may run more than once.</b> Writes are group-committed, and the group's transaction
 * is sometimes rolled back as a whole for a reason that is not this work's: SQLite undid the whole transaction
 * under another write (an interrupt or I/O error in it, a statement half-applied by an {@code OR FAIL} rule), or
 * the {@code COMMIT} found a deferred foreign-key violation and the pool re-runs the group in smaller groups to
 * fail only the offending writes. Each time, the work is run again in a new transaction, against the database
 * as it is then; only its last run is committed, and its caller gets the result of that run. A group rolled back
 * under another write re-runs a work unit at most once: rolled back a second time, the call fails with a
 * {@link PoolException} saying nothing of it was committed. Everything a run
 * did through its {@link Session} is rolled back with it, but nothing else is: keep write work units free of
 * side effects outside the session (counters, messages, caches), or make those idempotent, or do them after
 * the call returns. A read work unit runs at most once.
 *
 * <pre>{@code
 * long orderId = db.write(tx -> {
 *     long id = tx.insert("INSERT INTO orders(customer) VALUES (?)", customer);
 *     tx.update("UPDATE stock SET count = count - 1 WHERE item = ?", item);
 *     return id;
 * });
 * }</pre>
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Work<T> {
    /** Runs with a session that is valid only during this call and only on the calling worker thread. */
    T run(Session session) throws SQLException;
}
