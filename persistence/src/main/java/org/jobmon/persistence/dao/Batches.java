package org.jobmon.persistence.dao;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Reading a batch's update counts. */
final class Batches {
    private Batches() {
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
