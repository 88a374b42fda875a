package org.jobmon.api.spi;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;

/** Runs workflows: the engine's face to the api. */
public interface WorkflowRunner {
    /**
     * Validates, binds and runs the workflow until it ends.
     *
     * @throws org.jobmon.api.JobmonException for bad input (nothing is written) or when the
     *     workflow already exists or is complete
     */
    WorkflowRunResult run(Workflow workflow, RunOptions options);
}
