package dev.loomlite.sqlite;

import java.sql.SQLException;

/**
 * A unit of work run on the worker thread that owns a connection. Given to {@link Database#read(Work)} it
 * runs on a read-only connection; given to {@link Database#write(Work)} it runs atomically inside the
 * writer's transaction (its own savepoint): it commits when it returns and rolls back when it throws.
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
