package org.jobmon.engine.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.jobmon.persistence.dao.TaskDao;
import org.jobmon.persistence.dao.TaskInstanceDao;

/**
 * Everything one scheduling cycle decided, written in one transaction: new attempts, instance
 * and task transitions with their history, error logs and new parameter sets. A task's row is
 * written once per cycle with its latest state, guarded by the state it had when the cycle began;
 * a transition goes to the history only when its row was written.
 */
public final class CycleWrites {
    private final TaskDao tasks = new TaskDao();
    private final TaskInstanceDao instances = new TaskInstanceDao();

    public final List<TaskDao.ParameterSet> parameterSets = new ArrayList<>();
    public final Map<Long, Long> parameterSetInUse = new LinkedHashMap<>();
    public final List<TaskInstanceDao.NewInstance> newInstances = new ArrayList<>();
    public final List<TaskInstanceDao.Submitted> submitted = new ArrayList<>();
    public final List<TaskInstanceDao.Started> started = new ArrayList<>();
    public final List<TaskInstanceDao.Ended> ended = new ArrayList<>();
    public final List<TaskInstanceDao.ErrorLog> errors = new ArrayList<>();
    public final Set<Long> triaging = new LinkedHashSet<>();
    public final Set<Long> renewed = new LinkedHashSet<>();
    private final List<TaskInstanceDao.StatusChange> instanceChanges = new ArrayList<>();
    private final Map<Long, TaskDao.TaskUpdate> taskRows = new LinkedHashMap<>();
    private final List<TaskDao.StatusChange> taskChanges = new ArrayList<>();
    private Duration instanceExpiry = Duration.ZERO;
    private long number;

    /** A task went from {@code previous} to {@code next}. */
    public void task(long taskId, char previous, char next, int attempts) {
        TaskDao.TaskUpdate before = taskRows.get(taskId);
        char expected = before == null ? previous : before.expected();
        taskRows.put(taskId, new TaskDao.TaskUpdate(taskId, expected, next, attempts));
        taskChanges.add(new TaskDao.StatusChange(taskId, previous, next));
    }

    /** An instance went from {@code previous} (0: none, it is new) to {@code next}. */
    public void instance(long instanceId, char previous, char next) {
        instanceChanges.add(new TaskInstanceDao.StatusChange(instanceId, previous, next));
    }

    /** Live instances whose report-by date is renewed by {@code expiry} from the database's now. */
    public void renew(java.util.Collection<Long> ids, Duration expiry) {
        renewed.addAll(ids);
        instanceExpiry = expiry;
    }

    public boolean isEmpty() {
        return parameterSets.isEmpty() && newInstances.isEmpty() && submitted.isEmpty() && started.isEmpty()
                && ended.isEmpty() && errors.isEmpty() && instanceChanges.isEmpty() && taskRows.isEmpty()
                && triaging.isEmpty() && renewed.isEmpty();
    }

    /** The cycle's number in its run, given when it is sealed for committing; 0 before. */
    public long number() {
        return number;
    }

    /** Gives the cycle its number once it is complete; later numbers are written after it. */
    public void sealAs(long n) {
        this.number = n;
    }

    /** How many task transitions this cycle holds (for tests and logs). */
    public int taskTransitions() {
        return taskChanges.size();
    }

    /**
     * Writes everything with {@code h} (the caller's transaction). Guarded updates that find their
     * row changed by someone else write nothing, and neither do their history rows; returns the ids
     * of tasks whose row had changed under the run.
     */
    Set<Long> write(Handle h, long workflowRunId) {
        tasks.insertParameterSets(h, parameterSets);
        tasks.useParameterSets(h, parameterSetInUse);
        instances.insert(h, newInstances);
        Set<Long> skippedInstances = new java.util.HashSet<>();
        skippedInstances.addAll(instances.submitted(h, submitted));
        skippedInstances.addAll(instances.started(h, started));
        skippedInstances.addAll(instances.triaging(h, triaging));
        skippedInstances.addAll(instances.ended(h, ended));
        instances.renewReportBy(h, renewed, instanceExpiry);
        instances.errors(h, errors);
        instances.audit(h, skippedInstances.isEmpty() ? instanceChanges
                : instanceChanges.stream().filter(c -> !skippedInstances.contains(c.taskInstanceId())).toList());
        Set<Long> skippedTasks = tasks.updateTasks(h, taskRows.values());
        tasks.audit(h, workflowRunId, skippedTasks.isEmpty() ? taskChanges
                : taskChanges.stream().filter(c -> !skippedTasks.contains(c.taskId())).toList());
        return skippedTasks;
    }
}
