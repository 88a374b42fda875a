package org.jobmon.engine;

import org.jobmon.api.spi.WorkflowRunner;
import org.jobmon.api.spi.WorkflowRunnerProvider;

/** Lets {@code workflow.run()} find this engine; each run opens and closes its own engine. */
public final class EngineRunnerProvider implements WorkflowRunnerProvider {
    @Override
    public WorkflowRunner create() {
        return (workflow, options) -> {
            try (JobmonEngine engine = JobmonEngine.builder().build()) {
                return engine.run(workflow, options);
            }
        };
    }
}
