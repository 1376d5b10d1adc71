package dev.loomlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The naive design the pool replaces: virtual threads borrow one of N JDBC connections from a fair queue and
 * call sqlite-jdbc directly, preparing each statement per call as typical JDBC code does. Native calls pin the
 * virtual thread's carrier for their whole duration.
 */
final class NaivePool implements AutoCloseable {
    private final BlockingQueue<Connection> idle;

    NaivePool(Path dir, int size, boolean readOnly) throws SQLException {
        idle = new ArrayBlockingQueue<>(size, true);
        for (int i = 0; i < size; i++) {
            idle.add(Fixture.connect(dir, readOnly));
        }
    }

    interface Use {
        long apply(Connection connection) throws SQLException;
    }

    long with(Use use) throws SQLException, InterruptedException {
        Connection connection = idle.take();
        try {
            return use.apply(connection);
        } finally {
            idle.add(connection);
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : idle) {
            c.close();
        }
    }
}
