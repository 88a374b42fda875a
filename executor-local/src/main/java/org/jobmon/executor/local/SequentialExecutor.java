package org.jobmon.executor.local;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExecutorContext;

/** Runs one instance at a time on this machine, in submission order. */
public final class SequentialExecutor extends SlotQueueExecutor {
    public SequentialExecutor(ExecutorContext context) {
        super(context, ExecutorNames.SEQUENTIAL, 1);
    }

    @Override
    protected int slotsFor(Resources resources) {
        return 1;
    }
}
