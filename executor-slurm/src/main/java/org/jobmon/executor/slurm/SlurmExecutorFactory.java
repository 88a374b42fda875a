package org.jobmon.executor.slurm;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.executor.batch.SchedulerCommands;

/** The {@code slurm} executor plugin ({@code SlurmExecutor}): Slurm through sbatch, squeue, sacct and scancel. */
public final class SlurmExecutorFactory implements ExecutorFactory {
    @Override
    public String name() {
        return ExecutorNames.SLURM;
    }

    @Override
    public Preflight preflight(ExecutorSettings settings) {
        SlurmSettings slurm = SlurmSettings.from(settings.extra());
        SchedulerCommands commands = new SchedulerCommands(slurm.binDir(), slurm.commandTimeout());
        SlurmPartitions[] cluster = new SlurmPartitions[1];
        return requested -> {
            if (cluster[0] == null) {
                cluster[0] = SlurmPartitions.read(commands);
            }
            return cluster[0].validate(requested);
        };
    }

    @Override
    public boolean batchScheduler() {
        return true;
    }

    @Override
    public Executor create(ExecutorContext context) {
        return new SlurmExecutor(context);
    }
}
