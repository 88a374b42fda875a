package org.jobmon.api.executor;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jobmon.api.JobmonException;
import org.jobmon.api.Resources;

/**
 * Runs task instances on a compute platform. Batch-oriented: the engine submits many instances
 * at once and asks about many at once. Executors that can watch their instances report through
 * {@link ExecutorContext#events()}; the others answer {@link #poll} and {@link #exitInfo}.
 *
 * <p>Exit code 199 is reserved: it means the wrapper around the user's command failed.
 * Optional capabilities are {@code default} methods so that new ones never break a plugin.
 */
public interface Executor extends AutoCloseable {
    int WRAPPER_FAILED_EXIT_CODE = 199;

    /**
     * Submits a batch. Returns one {@link Submission} per request, in order: an executor id, or
     * the reason the platform refused it. Must not block until the instances finish.
     */
    List<Submission> submit(List<InstanceRequest> batch);

    /** Which of these instances are still queued or running; absent ids are gone. */
    Map<String, InstanceState> poll(Collection<String> executorIds);

    /** Kills these instances (their whole process tree or job). Unknown ids are ignored. */
    void terminate(Collection<String> executorIds);

    /** Why an instance that is gone ended. */
    ExitInfo exitInfo(String executorId);

    /**
     * Checks a request against what the platform can give (the queue's limits) and returns what
     * it will get. A request no queue can satisfy throws a {@link JobmonException} with code
     * RESOURCES_UNSATISFIABLE naming the value.
     */
    default Resources validate(Resources requested) {
        return requested;
    }

    /**
     * The platform's queues and their limits, so that a task whose resources grow after a resource
     * kill can be capped at its queue's limit or moved to a queue that allows more. Empty: the
     * platform has no queues and no limits to tell.
     */
    default java.util.List<QueueLimits> queues() {
        return java.util.List.of();
    }

    /** True when this executor reports starts and exits through the context's event sink. */
    default boolean reportsEvents() {
        return false;
    }

    @Override
    default void close() {
    }

    /** Where an instance is, as far as the platform knows. */
    enum InstanceState {
        QUEUED,
        RUNNING
    }
}
