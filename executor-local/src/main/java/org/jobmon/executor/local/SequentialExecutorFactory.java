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

    @Override
    public Executor create(ExecutorContext context) {
        return new SequentialExecutor(context);
    }
}
