package org.jobmon.cli.run;

import org.jobmon.executor.slurm.SlurmCluster;

/** {@link BatchResumeContract} on the real Slurm cluster. */
class SlurmResumeIT extends BatchResumeContract {
    @Override
    String executor() {
        return "slurm";
    }

    @Override
    void requireScheduler() {
        SlurmCluster.require();
    }

    @Override
    boolean inScheduler(String executorId) {
        return SlurmCluster.liveJobs().contains(executorId);
    }
}
