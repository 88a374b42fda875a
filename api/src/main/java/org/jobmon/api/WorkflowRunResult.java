package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import org.jobmon.api.Statuses.WorkflowRunStatus;

/**
 * How a run ended.
 *
 * @param workflowId the workflow's id in the database
 * @param workflowRunId this run's id
 * @param status DONE, ERROR, STOPPED or TERMINATED
 * @param tasks tasks in the workflow
 * @param done tasks DONE at the end (including those done by earlier runs)
 * @param fatal tasks ERROR_FATAL at the end
 * @param previouslyDone tasks that were DONE before this run started (resume)
 * @param message why the run ended, for people
 */
public record WorkflowRunResult(long workflowId, long workflowRunId, WorkflowRunStatus status, int tasks, int done,
        int fatal, int previouslyDone, String message) {
    public WorkflowRunResult {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }

    public boolean isDone() {
        return status == WorkflowRunStatus.DONE;
    }
}
