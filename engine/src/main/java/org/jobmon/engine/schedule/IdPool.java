package org.jobmon.engine.schedule;

import java.util.ArrayDeque;

import org.jobmon.engine.store.RunStore;

/**
 * Ids of one sequence, reserved from the database a block at a time ahead of need, so that the
 * loop's decisions never wait on the database and a cycle can be decided during an outage. The
 * loop tops the pool up at the start of each cycle and decides no more than it holds.
 */
final class IdPool {
    private final RunStore store;
    private final String sequence;
    private final int blockSize;
    private final ArrayDeque<long[]> blocks = new ArrayDeque<>();
    private long remaining;

    IdPool(RunStore store, String sequence, int blockSize) {
        this.store = store;
        this.sequence = sequence;
        this.blockSize = blockSize;
    }

    /** Reserves another block when fewer than half a block are left; may throw StoreUnavailableException. */
    void topUp() {
        if (remaining < blockSize / 2) {
            long first = store.reserveIds(sequence, blockSize);
            blocks.add(new long[] {first, first + blockSize});
            remaining += blockSize;
        }
    }

    long remaining() {
        return remaining;
    }

    /** The next id; reserves a block on the spot if the pool ran dry (a burst larger than half a block). */
    long next() {
        if (remaining == 0) {
            long first = store.reserveIds(sequence, blockSize);
            blocks.add(new long[] {first, first + blockSize});
            remaining += blockSize;
        }
        long[] b = blocks.peek();
        long id = b[0]++;
        if (b[0] == b[1]) {
            blocks.poll();
        }
        remaining--;
        return id;
    }
}
