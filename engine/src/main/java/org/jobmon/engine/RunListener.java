package org.jobmon.engine;

import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;

/**
 * Watches a run from the controller's side (the CLI's progress display). Called on the run's thread.
 * {@link RunControl} is a listener that keeps the run's id and can stop it.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** The workflow is bound and its run created. */
    default void bound(long workflowId, long workflowRunId, int tasks, int previouslyDone) {
    }

    /** The run waits before it can start (for an earlier run to hand the workflow over): whom for, how long at most. */
    default void waiting(String message) {
    }

    /** The run's loop starts; {@code run} stops it from any thread until it ends. */
    default void running(ActiveRun run) {
    }

    /** Task counts by status, after a cycle that changed them. */
    default void progress(Map<TaskStatus, Integer> counts) {
    }

    /**
     * Something people should know before the run goes on (the executor lowered a request to what
     * it has). The default logs it as a warning.
     */
    default void warning(String message) {
        org.slf4j.LoggerFactory.getLogger(RunListener.class).warn(message);
    }

    /** A signal asked the run to stop (or the process to quit): a sentence for people. The default logs it as a warning. */
    default void stopping(String message) {
        org.slf4j.LoggerFactory.getLogger(RunListener.class).warn(message);
    }
}
