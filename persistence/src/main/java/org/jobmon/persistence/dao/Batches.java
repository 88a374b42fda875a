package org.jobmon.persistence.dao;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Batches of rows: written in chunks, and their update counts read. */
final class Batches {
    /**
     * Rows per executed batch. JDBI keeps every added row's bindings (about a kilobyte) until the
     * batch runs: a million-task workflow bound as one batch per table needs gigabytes for them alone.
     */
    static final int CHUNK = 5_000;

    private Batches() {
    }

    /** One statement's rows, executed every {@link #CHUNK} rows within the caller's transaction. */
    static final class Chunked {
        private final Handle handle;
        private final String sql;
        private PreparedBatch batch;
        private int pending;
        private final List<int[]> counts = new ArrayList<>();

        Chunked(Handle handle, String sql) {
            this.handle = handle;
            this.sql = sql;
        }

        /** Adds one row, bound by {@code binder}. */
        Chunked add(Consumer<PreparedBatch> binder) {
            if (batch == null) {
                batch = handle.prepareBatch(sql);
            }
            binder.accept(batch);
            batch.add();
            if (++pending >= CHUNK) {
                flush();
            }
            return this;
        }

        /** Executes what is left; returns every row's update count, in order. */
        int[] finish() {
            flush();
            return counts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        }

        private void flush() {
            if (pending > 0) {
                counts.add(batch.execute());
            }
            batch = null;
            pending = 0;
        }
    }

    /**
     * Rows of one statement with {@code ?} placeholders, bound by position on the handle's JDBC
     * connection and executed every {@link #CHUNK} rows within the caller's transaction: for the
     * hundreds of thousands of rows a bind writes: no binding objects are kept per row, and the
     * MariaDB driver sends such batches in bulk. Values are Long, Integer, String, Boolean or null.
     */
    static final class Rows {
        private final Handle handle;
        private final String sql;
        private java.sql.PreparedStatement statement;
        private int pending;

        Rows(Handle handle, String sql) {
            this.handle = handle;
            this.sql = sql;
        }

        /** Adds one row: its values in the order of the placeholders. */
        Rows add(Object... values) {
            try {
                if (statement == null) {
                    statement = handle.getConnection().prepareStatement(sql);
                }
                for (int i = 0; i < values.length; i++) {
                    Object v = values[i];
                    if (v == null) {
                        statement.setNull(i + 1, java.sql.Types.NULL);
                    } else if (v instanceof Long l) {
                        statement.setLong(i + 1, l);
                    } else if (v instanceof Integer n) {
                        statement.setInt(i + 1, n);
                    } else if (v instanceof Boolean b) {
                        statement.setBoolean(i + 1, b);
                    } else {
                        statement.setString(i + 1, v.toString());
                    }
                }
                statement.addBatch();
                if (++pending >= CHUNK) {
                    flush();
                }
                return this;
            } catch (java.sql.SQLException e) {
                throw failed(e);
            }
        }

        /** Executes what is left and closes the statement. */
        void finish() {
            try {
                flush();
                if (statement != null) {
                    statement.close();
                    statement = null;
                }
            } catch (java.sql.SQLException e) {
                throw failed(e);
            }
        }

        private void flush() throws java.sql.SQLException {
            if (pending > 0) {
                statement.executeBatch();
                pending = 0;
            }
        }

        private RuntimeException failed(java.sql.SQLException e) {
            if (statement != null) {
                try {
                    statement.close();
                } catch (java.sql.SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                statement = null;
            }
            return new org.jdbi.v3.core.statement.UnableToExecuteStatementException(sql + ": " + e.getMessage(), e, null);
        }
    }

    /**
     * The ids of the rows whose guarded update matched nothing. A driver that cannot tell
     * ({@link java.sql.Statement#SUCCESS_NO_INFO}) counts as matched.
     */
    static <T> Set<Long> unmatched(int[] counts, Collection<T> rows, ToLongFunction<T> id) {
        Set<Long> missed = new HashSet<>();
        Iterator<T> it = rows.iterator();
        for (int i = 0; i < counts.length && it.hasNext(); i++) {
            T row = it.next();
            if (counts[i] == 0) {
                missed.add(id.applyAsLong(row));
            }
        }
        return missed;
    }
}
