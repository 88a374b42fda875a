package org.jobmon.samples.plugin;

import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.executor.local.LocalExecutorContract;

/**
 * The plugin passes every test Jobmon's own local executors pass: real processes, stdout and
 * stderr, working directories, exit records, terminate and KILL_SELF for whole process trees,
 * memory and runtime limits. The contract comes from {@code jobmon-executor-local}'s test-jar.
 */
class LowPriorityExecutorContractTest extends LocalExecutorContract {
    @Override
    protected Executor newExecutor(ExecutorContext context) {
        return new LowPriorityExecutorFactory().create(context);
    }

    @Override
    protected String executorName() {
        return LowPriorityExecutorFactory.NAME;
    }
}
