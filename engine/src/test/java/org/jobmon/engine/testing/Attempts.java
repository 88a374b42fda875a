package org.jobmon.engine.testing;

import java.util.List;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.JobmonEngine;

/** For executor tests: one-task workflows, and what became of each attempt of a workflow. */
public final class Attempts {
    private Attempts() {
    }

    /**
     * One attempt as the database has it.
     *
     * @param task its task's name
     * @param status its task_instance status
     * @param executorId the executor's id for it
     * @param error the last line of its error log, or null
     */
    public record Attempt(String task, char status, String executorId, String error) {
    }

    /** Every attempt of the workflow's tasks, oldest first. */
    public static List<Attempt> of(JobmonEngine engine, long workflowId) {
        return engine.database().jdbi().withHandle(h -> h.createQuery("SELECT t.name, ti.status, ti.executor_id, "
                + "(SELECT MAX(e.description) FROM task_instance_error_log e WHERE e.task_instance_id = ti.id) AS err "
                + "FROM task_instance ti JOIN task t ON t.id = ti.task_id WHERE t.workflow_id = :w ORDER BY ti.id")
                .bind("w", workflowId)
                .map((rs, ctx) -> new Attempt(rs.getString(1), rs.getString(2).charAt(0), rs.getString(3), rs.getString(4))).list());
    }

    /** Runs a workflow of one task named {@code name} running {@code command}, with a time limit of 600 s. */
    public static WorkflowRunResult runOne(JobmonEngine engine, String name, String command, ExecutorParameters p, int attempts,
            ExecutorSettings settings) {
        Tool tool = Tool.create(name);
        TaskTemplate t = tool.getTaskTemplate("t", command, List.of(), List.of(), List.of());
        Workflow wf = tool.createWorkflow(name).setExecutor(settings);
        wf.addTask(t.createTask().name(name).maxAttempts(attempts).executorParameters(p).build());
        return engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(600));
    }
}
