package org.jobmon.cli.spec;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Workflow;

/**
 * A spec turned into api objects, ready to run.
 *
 * @param file the spec file as the user named it
 * @param workflow the workflow with its tasks, upstreams, executor and defaults
 * @param runOptions fail_fast, seconds_until_timeout and max_concurrently_running from the spec
 *     (resume is the command line's to set)
 * @param hasWorkflowArgs whether the spec gives workflow_args; without them every run is a new
 *     one-off workflow, which cannot be resumed
 */
public record LoadedSpec(Path file, Workflow workflow, RunOptions runOptions, boolean hasWorkflowArgs) {
    public LoadedSpec {
        requireNonNull(file, "file is null");
        requireNonNull(workflow, "workflow is null");
        requireNonNull(runOptions, "runOptions is null");
    }
}
