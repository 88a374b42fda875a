package org.jobmon.api.executor;

import java.util.Set;

/**
 * An executor plugin: registered in {@code META-INF/services/org.jobmon.api.executor.ExecutorFactory},
 * found by {@link java.util.ServiceLoader}, selected by its name in a workflow.
 */
public interface ExecutorFactory {
    /** The normalised name a workflow selects this executor by ({@code "multiprocess"}). */
    String name();

    /** Builds the executor for one workflow run. */
    Executor create(ExecutorContext context);

    /** Other normalised names that select this executor. */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * Checks a workflow's executor settings, and makes what checks its tasks' resources, before
     * anything of the run is written: a bad setting or a request no queue can take refuses the run
     * with the database as it was. Throws {@link org.jobmon.api.JobmonException} (INVALID_ARGUMENT for
     * a setting, naming it and the fix). The default accepts every setting and every request.
     */
    default Preflight preflight(org.jobmon.api.ExecutorSettings settings) {
        return requested -> requested;
    }

    /** Checks a run's requests before it is written. */
    @FunctionalInterface
    interface Preflight {
        /**
         * The request as the platform would take it, or a {@link org.jobmon.api.JobmonException}
         * (RESOURCES_UNSATISFIABLE) naming the value and the limit.
         */
        org.jobmon.api.Resources check(org.jobmon.api.Resources requested);
    }

    /**
     * True when its instances are jobs of a batch scheduler that outlive the controller: a new
     * executor (after a resume) can poll, delete and ask about an earlier run's jobs by their ids,
     * so the engine settles a dead run's instances by asking it, and adopts them by their ids. False
     * (the default) for executors whose instances live and die with the controller's process.
     */
    default boolean batchScheduler() {
        return false;
    }
}
