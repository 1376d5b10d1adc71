package dev.loomlite.sqlite.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * The raw connection a {@code Session} lends, behind a guard: it refuses what would end or split the pool's
 * transaction ({@code commit}, {@code rollback}, {@code setAutoCommit}, savepoints, and transaction-control SQL
 * given to {@code prepareStatement}, {@code prepareCall} or a statement's {@code execute*}/{@code addBatch}),
 * and passes everything else to the connection. {@code unwrap} still reaches the driver's connection: that
 * escape is the caller's responsibility.
 */
final class GuardedConnection implements InvocationHandler {
    private static final Set<String> REFUSED = Set.of("commit", "rollback", "setAutoCommit", "setSavepoint",
            "releaseSavepoint");
    private static final Set<String> SQL_FIRST = Set.of("prepareStatement", "prepareCall", "nativeSQL", "execute",
            "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");

    private final Object target;

    private GuardedConnection(Object target) {
        this.target = target;
    }

    static Connection of(Connection raw) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new GuardedConnection(raw));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (method.getDeclaringClass() == Object.class) {
            return switch (name) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "Guarded[" + target + "]";
            };
        }
        if (target instanceof Connection && REFUSED.contains(name)) {
            throw new SQLException(name + "() is refused: the pool owns the transaction, which holds other"
                    + " callers' writes; return from the work unit to commit, throw to roll back");
        }
        if (SQL_FIRST.contains(name) && args != null && args.length > 0 && args[0] instanceof String sql) {
            TransactionControl.refuse(sql);
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        // Statements (and prepared ones, whose execute(String) variants SQLite refuses anyway) are guarded too.
        if (result instanceof Statement statement && method.getReturnType().isInterface()
                && Statement.class.isAssignableFrom(method.getReturnType())) {
            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {method.getReturnType()},
                    new GuardedConnection(statement));
        }
        return result;
    }
}
