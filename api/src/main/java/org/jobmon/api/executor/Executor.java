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

    /**
     * Where these instances are: queued, running, held or in error (with the platform's reason);
     * an id absent from the answer is no longer listed. One call covers all of a run's instances:
     * a batch executor answers it with one query to its scheduler.
     */
    Map<String, JobState> poll(Collection<String> executorIds);

    /** Kills these instances (their whole process tree or job). Unknown ids are ignored. */
    void terminate(Collection<String> executorIds);

    /** Why an instance that is gone ended. */
    ExitInfo exitInfo(String executorId);

    /**
     * Why these instances, no longer listed by {@link #poll}, ended: one call for many (a batch
     * executor asks its accounting once), given what each asked for and its folder, so that an
     * executor that did not submit them (after a resume) can still classify their ends. An instance
     * absent from the answer is not known yet (an accounting record still to be written, a record
     * on a network filesystem that appears late): the engine asks again after its next poll, and
     * takes it as lost (and terminates it) only when it is missing a second time. Must return
     * within seconds: the run's lease waits for it.
     *
     * <p>The default asks {@link #exitInfo(String)} for each.
     */
    default Map<Long, ExitInfo> exitInfos(List<GoneInstance> gone) {
        Map<Long, ExitInfo> answers = new java.util.HashMap<>();
        for (GoneInstance g : gone) {
            answers.put(g.taskInstanceId(), exitInfo(g.executorId()));
        }
        return answers;
    }

    /**
     * How often the engine polls this executor's instances; empty: at each instance heartbeat.
     * Batch executors poll more often than the heartbeat (a DAG level should not wait 90 s for the
     * next look) and less often than a local executor's events would arrive.
     */
    default java.util.Optional<java.time.Duration> pollInterval() {
        return java.util.Optional.empty();
    }

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

    /**
     * How many slots are free right now, less what waits in this executor's own queue (so it may be
     * negative), for an executor that runs instances on this machine: the engine then hands it only
     * a short queue ahead of its free slots and keeps the rest of the ready work itself, and takes
     * queued instances back with {@link #withdraw} when the concurrency limit is lowered, so that the
     * limit bites at once. Empty (the default): the platform's own queue is where work waits (a batch
     * scheduler), and the engine hands over up to the concurrency limit, queued plus running.
     */
    default java.util.OptionalInt freeSlots() {
        return java.util.OptionalInt.empty();
    }

    /**
     * Takes back instances that have not started: they never start and send no event. Returns the
     * ids taken back; an instance already started (or unknown) is left alone. The default takes
     * nothing back.
     */
    default java.util.Set<String> withdraw(Collection<String> executorIds) {
        return java.util.Set.of();
    }

    /** How many of the {@link #freeSlots()} an instance with these resources takes; 1 by default. */
    default int slotsNeeded(Resources resources) {
        return 1;
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
        /** Waiting for resources. */
        QUEUED,
        /** Started. */
        RUNNING,
        /** Waiting, and not to be started until released (a hold, a pending reason that never clears). */
        HELD,
        /** The platform will not run it as it is (Grid Engine's Eqw). */
        ERROR
    }
}
