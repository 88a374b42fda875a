package org.jobmon.executor.local;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;

/** The {@code sequential} executor plugin. */
public final class SequentialExecutorFactory implements ExecutorFactory {
    @Override
    public String name() {
        return ExecutorNames.SEQUENTIAL;
    }

    /** The sequential executor has only the settings every local executor has: another is a mistake, refused before the run is written. */
    @Override
    public Preflight preflight(org.jobmon.api.ExecutorSettings settings) {
        SlotQueueExecutor.requireOnly(settings);
        long machine = SlotQueueExecutor.machineMemoryMib();
        return requested -> SlotQueueExecutor.requireMemoryOfThisMachine(requested, machine);
    }

    @Override
    public Executor create(ExecutorContext context) {
        return new SequentialExecutor(context);
    }
}
