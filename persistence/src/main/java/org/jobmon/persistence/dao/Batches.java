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
