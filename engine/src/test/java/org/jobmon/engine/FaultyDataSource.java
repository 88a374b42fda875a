package org.jobmon.engine;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * A data source that fails calls {@code from} to {@code from + count - 1} (counted once armed) the
 * way a database does: a broken connection, a deadlock (MariaDB 1213), a serialization failure
 * (SQLSTATE 40001), or a commit that succeeds but whose acknowledgement is lost.
 */
final class FaultyDataSource {
    enum Fault {
        CONNECTION, DEADLOCK, SERIALIZATION, LOST_ACK
    }

    private final Fault fault;
    private final long from;
    private final long count;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger injected = new AtomicInteger();
    private volatile boolean armed;

    FaultyDataSource(Fault fault, long from, long count) {
        this.fault = fault;
        this.from = from;
        this.count = count;
    }

    void arm() {
        armed = true;
    }

    void disarm() {
        armed = false;
    }

    int injected() {
        return injected.get();
    }

    DataSource wrap(DataSource real) {
        return proxy(DataSource.class, real);
    }

    private boolean failNow() {
        if (!armed) {
            return false;
        }
        long n = calls.incrementAndGet();
        return n >= from && n < from + count;
    }

    private SQLException error() {
        injected.incrementAndGet();
        return switch (fault) {
            case CONNECTION, LOST_ACK -> new SQLNonTransientConnectionException("Connection reset (injected)", "08S01");
            case DEADLOCK -> new SQLTransactionRollbackException("Deadlock found when trying to get lock (injected)", "40001", 1213);
            case SERIALIZATION -> new SQLException("could not serialize access (injected)", "40001");
        };
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T real) {
        InvocationHandler h = (p, m, args) -> {
            String name = m.getName();
            boolean counted = fault == Fault.LOST_ACK ? name.equals("commit")
                    : name.startsWith("execute") || name.equals("getConnection");
            if (counted && fault != Fault.LOST_ACK && failNow()) {
                throw error();
            }
            Object result;
            try {
                result = m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (counted && fault == Fault.LOST_ACK && failNow()) {
                throw error();
            }
            if (result instanceof Connection c && type != Connection.class) {
                return proxy(Connection.class, c);
            }
            if (result instanceof java.sql.PreparedStatement s) {
                return proxy(java.sql.PreparedStatement.class, s);
            }
            if (result instanceof Statement s && !(result instanceof java.sql.PreparedStatement)) {
                return proxy(Statement.class, s);
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
