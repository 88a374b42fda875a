package org.jobmon.api.spi;

/**
 * How {@link org.jobmon.api.Workflow#run()} finds an engine: a service registered in
 * {@code META-INF/services/org.jobmon.api.spi.WorkflowRunnerProvider} by jobmon-engine.
 */
public interface WorkflowRunnerProvider {
    /** An engine configured from the environment (database URL, work directory). */
    WorkflowRunner create();
}
