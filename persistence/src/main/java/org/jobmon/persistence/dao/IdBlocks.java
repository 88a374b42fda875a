package org.jobmon.persistence.dao;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Hands out blocks of ids for rows the engine inserts in bulk and must reference before they are
 * written (a task's parameter set, an instance it submits). One short transaction per block; a
 * row lock on {@code id_sequence} keeps concurrent engines apart. Gaps are normal.
 */
public final class IdBlocks {
    public static final String NODE = "node";
    public static final String TASK = "task";
    public static final String TASK_INSTANCE = "task_instance";
    public static final String EXECUTOR_PARAMETER_SET = "executor_parameter_set";

    private IdBlocks() {
    }

    /** Reserves {@code count} consecutive ids of {@code sequence} and returns the first. */
    public static long reserve(Jdbi jdbi, String sequence, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count " + count + " must be positive");
        }
        return jdbi.inTransaction(h -> reserve(h, sequence, count));
    }

    static long reserve(Handle h, String sequence, int count) {
        int updated = h.createUpdate("UPDATE id_sequence SET next_id = next_id + :n WHERE name = :name")
                .bind("n", count).bind("name", sequence).execute();
        if (updated != 1) {
            throw new IllegalStateException("no id sequence named " + sequence);
        }
        long next = h.createQuery("SELECT next_id FROM id_sequence WHERE name = :name")
                .bind("name", sequence).mapTo(Long.class).one();
        return next - count;
    }

    /** A cache of one sequence's ids, refilled a block at a time. Not thread-safe. */
    public static final class Cursor {
        private final Jdbi jdbi;
        private final String sequence;
        private final int blockSize;
        private long next;
        private long end;

        public Cursor(Jdbi jdbi, String sequence, int blockSize) {
            this.jdbi = jdbi;
            this.sequence = sequence;
            this.blockSize = blockSize;
        }

        public long next() {
            if (next == end) {
                next = reserve(jdbi, sequence, blockSize);
                end = next + blockSize;
            }
            return next++;
        }
    }
}
