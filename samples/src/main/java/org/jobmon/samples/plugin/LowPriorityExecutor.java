package org.jobmon.samples.plugin;

import java.util.List;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.executor.local.SlotQueueExecutor;

/**
 * Runs each task instance on this machine as {@code nice -n N /bin/sh -c <Jobmon's wrapper>}, a
 * few at a time. The base class does the rest, as for Jobmon's own local executors: the
 * queue, the instance wrapper (exit records, so that an attempt that ends while no controller
 * watches is still known, and hot resume), stdout and stderr files, the working directory,
 * context args as environment variables, memory and runtime limits, terminate and KILL_SELF for
 * the whole process tree, and the events the engine acts on.
 */
final class LowPriorityExecutor extends SlotQueueExecutor {
    private final List<String> nice;

    LowPriorityExecutor(ExecutorContext context, int slots, int niceness) {
        super(context, LowPriorityExecutorFactory.NAME, slots);
        this.nice = List.of("nice", "-n", Integer.toString(niceness));
    }

    /** A task asking for k cores takes k slots (the base class caps it at all of them). */
    @Override
    protected int slotsFor(Resources resources) {
        return resources.numCores();
    }

    /** The program the attempt's shell runs under; it must exec its arguments, as nice does. */
    @Override
    protected List<String> launchPrefix(InstanceRequest request) {
        return nice;
    }
}
