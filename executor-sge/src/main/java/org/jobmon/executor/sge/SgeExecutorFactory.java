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
    public Preflight preflight(org.jobmon.api.ExecutorSettings settings) {
        SgeSettings sge = SgeSettings.from(settings.extra());
        org.jobmon.executor.batch.SchedulerCommands commands = new org.jobmon.executor.batch.SchedulerCommands(sge.binDir(),
                sge.commandTimeout());
        java.util.List<SgeQueues.Queue>[] cluster = new java.util.List[1];
        return requested -> {
            if (cluster[0] == null) {
                cluster[0] = SgeQueues.read(commands);
            }
            return SgeQueues.validate(requested, cluster[0], sge.pe());
        };
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
