package org.jobmon.engine.bind;

import org.jobmon.api.Resources;
import org.jobmon.engine.reconcile.DeadRunReconciler.LiveInstance;

/**
 * A workflow as the database knows it, index-aligned with {@code workflow.tasks()}.
 *
 * @param workflowId the workflow's id
 * @param runId the run that claimed the workflow (REGISTERED until its loop starts)
 * @param taskIds each task's id
 * @param status each task's status code at the start of the run
 * @param attempts each task's attempts so far
 * @param parameterSetIds each task's current parameter set id (0: none yet, resources come from a function)
 * @param resources each task's requested resources (null for a task with a resource function)
 * @param previouslyDone tasks DONE before this run
 * @param resumed whether this run resumes an existing workflow
 * @param adopted instances of earlier runs still running, which this run watches (hot resume), by task index
 */
public record BoundWorkflow(long workflowId, long runId, long[] taskIds, char[] status, int[] attempts, long[] parameterSetIds,
        Resources[] resources, int previouslyDone, boolean resumed, java.util.Map<Integer, LiveInstance> adopted) {
}
