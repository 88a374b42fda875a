package org.jobmon.executor.multiprocess;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;

/** The {@code multiprocess} executor plugin. */
public final class MultiprocessExecutorFactory implements ExecutorFactory {
    @Override
    public String name() {
        return ExecutorNames.MULTIPROCESS;
    }

    /**
     * Refuses an unknown or bad setting and a request for more memory than this machine has; lowers
     * num_cores to the number of slots (the engine says so once at the start of the run).
     */
    @Override
    public Preflight preflight(org.jobmon.api.ExecutorSettings settings) {
        org.jobmon.executor.local.SlotQueueExecutor.requireOnly(settings, MultiprocessExecutor.SLOTS_SETTING, MultiprocessExecutor.SLOTS_CONFIG);
        int slots = MultiprocessExecutor.slotsFrom(settings.extra(), java.util.Map.of());
        long machine = org.jobmon.executor.local.SlotQueueExecutor.machineMemoryMib();
        return requested -> {
            org.jobmon.api.Resources r = org.jobmon.executor.local.SlotQueueExecutor.requireMemoryOfThisMachine(requested, machine);
            return MultiprocessExecutor.fitCores(r, slots);
        };
    }

    @Override
    public Executor create(ExecutorContext context) {
        return new MultiprocessExecutor(context);
    }
}
