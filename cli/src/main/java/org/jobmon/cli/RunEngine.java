package org.jobmon.cli;

import java.util.function.Consumer;

import org.jobmon.api.Notifications;
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

    /** Resumes a stored workflow without its controller ({@code jobmon workflow_resume}), telling {@code notifications}. */
    default WorkflowRunResult resume(String databaseUrl, long workflowId, RunOptions options, RunListener listener,
            Notifications notifications) {
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(databaseUrl).build()) {
            return engine.resume(workflowId, options, listener, notifications);
        }
    }

    /**
     * The failed tasks of a workflow after its run, for the run's own output; empty when this engine
     * cannot tell (then the output says which command lists them).
     */
    default java.util.Optional<org.jobmon.cli.run.FailedTasks.Found> failedTasks(String databaseUrl, long workflowId) {
        return java.util.Optional.empty();
    }

    /** The real engine, built for the run and closed after it. */
    static RunEngine jobmon() {
        return jobmon(b -> {
        }, true);
    }

    /** The real engine with extra configuration (a work root, shorter intervals). */
    static RunEngine jobmon(Consumer<JobmonEngine.Builder> configure) {
        return jobmon(configure, false);
    }

    /**
     * @param keeper whether runs on the embedded database first make sure a keeper process serves it
     *     (the command line's runs: several may start and end together; see EmbeddedKeeper)
     */
    static RunEngine jobmon(Consumer<JobmonEngine.Builder> configure, boolean keeper) {
        return new RunEngine() {
            @Override
            public WorkflowRunResult run(String databaseUrl, Workflow workflow, RunOptions options, RunListener listener) {
                try (JobmonEngine engine = build(databaseUrl)) {
                    return engine.run(workflow, options, listener);
                }
            }

            @Override
            public WorkflowRunResult resume(String databaseUrl, long workflowId, RunOptions options, RunListener listener,
                    Notifications notifications) {
                try (JobmonEngine engine = build(databaseUrl)) {
                    return engine.resume(workflowId, options, listener, notifications);
                }
            }

            @Override
            public java.util.Optional<org.jobmon.cli.run.FailedTasks.Found> failedTasks(String databaseUrl, long workflowId) {
                return java.util.Optional.of(org.jobmon.cli.run.FailedTasks.of(databaseUrl, workflowId));
            }

            private JobmonEngine build(String databaseUrl) {
                if (keeper) {
                    org.jobmon.persistence.EmbeddedKeeper.ensure(databaseUrl);
                }
                JobmonEngine.Builder builder = JobmonEngine.builder().databaseUrl(databaseUrl);
                configure.accept(builder);
                return builder.build();
            }
        };
    }
}
