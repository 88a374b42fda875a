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

    @Override
    public Preflight preflight(org.jobmon.api.ExecutorSettings settings) {
        org.jobmon.executor.local.SlotQueueExecutor.requireOnly(settings, MultiprocessExecutor.SLOTS_SETTING, MultiprocessExecutor.SLOTS_CONFIG);
        String slots = settings.extra().get(MultiprocessExecutor.SLOTS_SETTING);
        if (slots != null) {
            MultiprocessExecutor.parseSlots(slots, "executor setting '" + MultiprocessExecutor.SLOTS_SETTING + "'");
        }
        return requested -> requested;
    }

    @Override
    public Executor create(ExecutorContext context) {
        return new MultiprocessExecutor(context);
    }
}
