package org.jobmon.engine.resources;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;

/**
 * A task's requested resources: its own parameters over its template's defaults over the
 * workflow's defaults (later wins), with the seed's defaults for what nobody set. A task with a
 * resource function gets it called here, once, when it becomes ready.
 */
public final class ResourceResolver {
    private final ExecutorParameters workflowDefaults;

    public ResourceResolver(Workflow workflow) {
        this.workflowDefaults = workflow.defaultExecutorParameters();
    }

    /** The layered static parameters; empty task parameters when the task has a function. */
    public ExecutorParameters layered(Task task, ExecutorParameters own) {
        return own.over(task.template().defaultExecutorParameters().over(workflowDefaults));
    }

    public Resources staticResources(Task task) {
        return layered(task, task.executorParameters()).resolve();
    }

    /** Calls the task's resource function; any failure is a user error naming the task. */
    public Resources dynamicResources(Task task) {
        ExecutorParameters computed;
        try {
            computed = task.dynamicResources().orElseThrow().compute(task);
        } catch (JobmonException e) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, "the resource function of task '" + task.name()
                    + "' failed: " + e.getMessage(), e);
        } catch (Exception | LinkageError e) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, "the resource function of task '" + task.name()
                    + "' threw " + e.getClass().getName() + ": " + e.getMessage(), e);
        }
        if (computed == null) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, "the resource function of task '" + task.name()
                    + "' returned null: return an ExecutorParameters");
        }
        return layered(task, computed).resolve();
    }
}
