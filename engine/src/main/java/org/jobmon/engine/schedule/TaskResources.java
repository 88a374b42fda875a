package org.jobmon.engine.schedule;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.engine.bind.WorkflowBinder;
import org.jobmon.engine.resources.ResourceResolver;
import org.jobmon.engine.resources.ResourceScaler;
import org.jobmon.engine.store.CycleWrites;

/**
 * What each task's next attempt asks for: resolved when the task is ready (a resource function is
 * called then), validated against the executor's queues, and scaled after a resource kill. Every
 * set that changes is a new parameter set row (VALIDATED or ADJUSTED), never an update in place.
 */
final class TaskResources {
    private final List<Task> tasks;
    private final long[] taskId;
    private final long[] parameterSet;
    private final Resources[] resources;
    private final boolean[] validated;
    private final boolean[] adjusted;
    private final int[] kills;
    private final ResourceResolver resolver;
    private final ResourceScaler scaler;
    private final UnaryOperator<Resources> validator;
    private final String executorName;
    private final LongSupplier parameterSetIds;
    private final Supplier<CycleWrites> writes;

    /**
     * @param parameterSet each task's parameter set in use (0: none yet); copied
     * @param resources each task's requested resources, null for a task with a resource function; copied
     * @param validator the executor's check against its queues (may refuse with a JobmonException)
     */
    TaskResources(List<Task> tasks, long[] taskId, long[] parameterSet, Resources[] resources, ResourceResolver resolver,
            ResourceScaler scaler, UnaryOperator<Resources> validator, String executorName, LongSupplier parameterSetIds,
            Supplier<CycleWrites> writes) {
        this.tasks = tasks;
        this.taskId = taskId;
        this.parameterSet = parameterSet.clone();
        this.resources = resources.clone();
        this.validated = new boolean[tasks.size()];
        this.adjusted = new boolean[tasks.size()];
        this.kills = new int[tasks.size()];
        this.resolver = resolver;
        this.scaler = scaler;
        this.validator = validator;
        this.executorName = executorName;
        this.parameterSetIds = parameterSetIds;
        this.writes = writes;
    }

    /** The parameter set task {@code i}'s next attempt runs with; 0 when it has none (its function failed). */
    long parameterSet(int i) {
        return parameterSet[i];
    }

    /**
     * The resources for task {@code i}'s next attempt, resolved and validated; throws the
     * JobmonException that says why the task cannot have them.
     */
    Resources forNextAttempt(int i) {
        if (resources[i] == null) {
            resources[i] = resolver.dynamicResources(tasks.get(i));
            validated[i] = false;
        }
        if (!validated[i]) {
            Resources checked = validator.apply(resources[i]);
            // An ADJUSTED set the queue accepts as it is runs as it is; anything else is stored VALIDATED.
            if (!(adjusted[i] && checked.equals(resources[i]))) {
                record(i, 'V', checked);
            }
            validated[i] = true;
        }
        return resources[i];
    }

    /**
     * Task {@code i} was killed for running out of {@code resource} (empty: the executor could not
     * say which): the next attempt asks for more. Returns what changed, for the error log.
     */
    String scaleAfterKill(int i, Optional<String> resource) {
        kills[i]++;
        ResourceScaler.Scaled scaled = scaler.scale(resources[i], resource, kills[i]);
        record(i, 'A', scaled.resources());
        adjusted[i] = true;
        validated[i] = false;
        return scaled.description();
    }

    private void record(int i, char type, Resources r) {
        long id = parameterSetIds.getAsLong();
        writes.get().parameterSets.add(WorkflowBinder.parameterSet(id, taskId[i], type, executorName, r));
        writes.get().parameterSetInUse.put(taskId[i], id);
        parameterSet[i] = id;
        resources[i] = r;
    }
}
