package org.jobmon.engine.schedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.jobmon.persistence.dao.TaskDao;
import org.jobmon.persistence.dao.TaskInstanceDao;

/**
 * Everything one scheduling cycle decided, written in one transaction: new attempts, instance
 * and task transitions with their history, error logs and new parameter sets. A task's row is
 * written once per cycle with its latest state; every transition goes to the history.
 */
final class CycleWrites {
    private final TaskDao tasks = new TaskDao();
    private final TaskInstanceDao instances = new TaskInstanceDao();

    final List<TaskDao.ParameterSet> parameterSets = new ArrayList<>();
    final Map<Long, Long> parameterSetInUse = new LinkedHashMap<>();
    final List<TaskInstanceDao.NewInstance> newInstances = new ArrayList<>();
    final List<TaskInstanceDao.Submitted> submitted = new ArrayList<>();
    final List<TaskInstanceDao.Started> started = new ArrayList<>();
    final List<TaskInstanceDao.Ended> ended = new ArrayList<>();
    final List<TaskInstanceDao.ErrorLog> errors = new ArrayList<>();
    final List<TaskInstanceDao.StatusChange> instanceChanges = new ArrayList<>();
    final Map<Long, TaskDao.TaskUpdate> taskRows = new LinkedHashMap<>();
    final List<TaskDao.StatusChange> taskChanges = new ArrayList<>();

    void task(long taskId, char previous, char next, int attempts) {
        taskRows.put(taskId, new TaskDao.TaskUpdate(taskId, next, attempts));
        taskChanges.add(new TaskDao.StatusChange(taskId, previous, next));
    }

    void instance(long instanceId, char previous, char next) {
        instanceChanges.add(new TaskInstanceDao.StatusChange(instanceId, previous, next));
    }

    boolean isEmpty() {
        return parameterSets.isEmpty() && newInstances.isEmpty() && submitted.isEmpty() && started.isEmpty()
                && ended.isEmpty() && errors.isEmpty() && instanceChanges.isEmpty() && taskRows.isEmpty();
    }

    /** Writes everything in one transaction and clears. */
    void flush(Handle handle, long workflowRunId) {
        if (isEmpty()) {
            return;
        }
        handle.useTransaction(h -> {
            tasks.insertParameterSets(h, parameterSets);
            tasks.useParameterSets(h, parameterSetInUse);
            instances.insert(h, newInstances);
            instances.submitted(h, submitted);
            instances.started(h, started);
            instances.ended(h, ended);
            instances.errors(h, errors);
            instances.audit(h, instanceChanges);
            tasks.updateTasks(h, taskRows.values());
            tasks.audit(h, workflowRunId, taskChanges);
        });
        parameterSets.clear();
        parameterSetInUse.clear();
        newInstances.clear();
        submitted.clear();
        started.clear();
        ended.clear();
        errors.clear();
        instanceChanges.clear();
        taskRows.clear();
        taskChanges.clear();
    }
}
