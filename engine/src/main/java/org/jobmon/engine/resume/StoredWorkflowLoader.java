package org.jobmon.engine.resume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.persistence.dao.DagDao;
import org.jobmon.persistence.dao.TaskDao;
import org.jobmon.persistence.dao.TaskDao.ParameterSet;
import org.jobmon.persistence.dao.TaskDao.TaskRow;
import org.jobmon.persistence.dao.WorkflowDao;
import org.jobmon.persistence.dao.WorkflowDao.StoredWorkflow;

/**
 * Reads a workflow back from the database so that it can be resumed without its controller
 * program: each task with its stored command, attempts and the resources it last used, the
 * dependencies from the DAG's edges, and the executor with its workflow-level settings.
 */
public final class StoredWorkflowLoader {
    private final Jdbi jdbi;
    private final WorkflowDao workflows = new WorkflowDao();
    private final TaskDao tasks = new TaskDao();
    private final DagDao dags = new DagDao();

    public StoredWorkflowLoader(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The workflow and its task rows, index-aligned with {@code workflow.tasks()}.
     *
     * @param stored the workflow's row
     * @param workflow api objects that the run loop runs
     * @param rows the tasks' rows
     */
    public record Loaded(StoredWorkflow stored, Workflow workflow, List<TaskRow> rows) {
    }

    public Loaded load(long workflowId) {
        StoredWorkflow sw = jdbi.withHandle(h -> workflows.stored(h, workflowId)).orElseThrow(() -> new JobmonException(
                ErrorCode.NOT_FOUND, "there is no workflow " + workflowId + ": jobmon workflow_status lists your workflows"));
        if (sw.executorClass() == null) {
            throw new JobmonException(ErrorCode.REFUSED, "workflow " + workflowId + " was bound by a Jobmon that did not "
                    + "record its executor: resume it from its controller program");
        }
        List<TaskRow> rows = jdbi.withHandle(h -> tasks.tasksOf(h, workflowId));
        Map<Long, ParameterSet> sets = jdbi.withHandle(h -> tasks.parameterSetsInUse(h, workflowId));
        List<long[]> edges = jdbi.withHandle(h -> dags.edges(h, sw.dagId()));

        Tool tool = Tool.create(sw.toolName()).useVersion(sw.toolVersionId());
        TaskTemplate stored = tool.getTaskTemplate("stored_command", "{command}", List.of("command"), List.of(), List.of());
        Workflow wf = tool.createWorkflow(sw.name()).description(sw.description()).workflowArgs(sw.workflowArgs())
                .setExecutor(settings(sw));
        List<Task> built = new ArrayList<>(rows.size());
        Map<Long, Task> byNode = new HashMap<>();
        for (TaskRow r : rows) {
            Task.Builder b = stored.createTask().arg("command", r.command()).name(r.name()).maxAttempts(r.maxAttempts());
            ParameterSet p = sets.get(r.id());
            if (p != null) {
                b.executorParameters(parameters(p));
            } else {
                b.executorParameters(task -> {
                    throw new IllegalStateException("its resources come from a function in the controller program, which "
                            + "jobmon workflow_resume cannot call: resume the workflow from its controller");
                });
            }
            Task t = b.build();
            built.add(t);
            byNode.put(r.nodeId(), t);
        }
        for (long[] e : edges) {
            Task up = byNode.get(e[0]);
            Task down = byNode.get(e[1]);
            if (up != null && down != null) {
                down.addUpstream(up);
            }
        }
        wf.addTasks(built);
        return new Loaded(sw, wf, rows);
    }

    private static ExecutorSettings settings(StoredWorkflow sw) {
        return settings(sw.executorClass(), sw.executorSettings());
    }

    /** Executor settings as a workflow row stores them (its executor_class and executor_settings). */
    public static ExecutorSettings settings(String executorClass, String json) {
        Map<String, String> s = new HashMap<>(WorkflowDao.executorSettings(json));
        ExecutorSettings e = ExecutorSettings.of(executorClass);
        String stdout = s.remove("stdout");
        String stderr = s.remove("stderr");
        String project = s.remove("project");
        String workingDir = s.remove("working_dir");
        e = stdout == null ? e : e.withStdout(Path.of(stdout));
        e = stderr == null ? e : e.withStderr(Path.of(stderr));
        e = project == null ? e : e.withProject(project);
        e = workingDir == null ? e : e.withWorkingDir(Path.of(workingDir));
        return e.withExtra(s);
    }

    /** What {@link #settings} reads back: the workflow's executor settings as stored. */
    public static Map<String, String> encode(ExecutorSettings s) {
        Map<String, String> m = new HashMap<>(s.extra());
        s.stdout().ifPresent(p -> m.put("stdout", p.toAbsolutePath().toString()));
        s.stderr().ifPresent(p -> m.put("stderr", p.toAbsolutePath().toString()));
        s.project().ifPresent(p -> m.put("project", p));
        s.workingDir().ifPresent(p -> m.put("working_dir", p.toAbsolutePath().toString()));
        return m;
    }

    private static ExecutorParameters parameters(ParameterSet p) {
        ExecutorParameters.Builder b = ExecutorParameters.builder().numCores(p.numCores()).memoryMib(p.memoryMib())
                .maxRuntimeSeconds(p.maxRuntimeSeconds()).contextArgs(p.contextArgs()).resourceScales(p.resourceScales())
                .hardLimits(p.hardLimits());
        if (p.queue() != null) {
            b.queue(p.queue());
        }
        return b.build();
    }
}
