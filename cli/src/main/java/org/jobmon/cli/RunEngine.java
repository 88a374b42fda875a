package org.jobmon.cli;

import java.util.function.Consumer;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.engine.RunListener;

/**
 * How the CLI runs a workflow: on a {@link JobmonEngine} for the given database. Tests of the
 * command line's own behaviour (output, exit codes, that a bad spec never reaches the engine)
 * put a fake here.
 */
@FunctionalInterface
public interface RunEngine {
    WorkflowRunResult run(String databaseUrl, Workflow workflow, RunOptions options, RunListener listener);

    /** The real engine, built for the run and closed after it. */
    static RunEngine jobmon() {
        return jobmon(b -> {
        });
    }

    /** The real engine with extra configuration (a work root, shorter intervals). */
    static RunEngine jobmon(Consumer<JobmonEngine.Builder> configure) {
        return (databaseUrl, workflow, options, listener) -> {
            JobmonEngine.Builder builder = JobmonEngine.builder().databaseUrl(databaseUrl);
            configure.accept(builder);
            try (JobmonEngine engine = builder.build()) {
                return engine.run(workflow, options, listener);
            }
        };
    }
}
