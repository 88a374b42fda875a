package org.jobmon.executor.sge;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;

/** The {@code sge} executor plugin ({@code SGEExecutor} in the seed's words): Grid Engine through qsub, qstat, qacct and qdel. */
public final class SgeExecutorFactory implements ExecutorFactory {
    @Override
    public String name() {
        return ExecutorNames.SGE;
    }

    @Override
    public boolean batchScheduler() {
        return true;
    }

    @Override
    public Executor create(ExecutorContext context) {
        return new SgeExecutor(context);
    }
}
