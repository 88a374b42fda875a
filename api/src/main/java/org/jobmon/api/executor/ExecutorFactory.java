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
     * True when its instances are jobs of a batch scheduler that outlive the controller: a new
     * executor (after a resume) can poll, delete and ask about an earlier run's jobs by their ids,
     * so the engine settles a dead run's instances by asking it, and adopts them by their ids. False
     * (the default) for executors whose instances live and die with the controller's process.
     */
    default boolean batchScheduler() {
        return false;
    }
}
