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
    public Executor create(ExecutorContext context) {
        return new MultiprocessExecutor(context);
    }
}
