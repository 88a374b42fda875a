package org.jobmon.cli.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.status.Table.Column;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.StatusDao;
import org.jobmon.persistence.dao.StatusDao.TaskRow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jobmon workflow_tasks -w ID [-s STATUS...] [-n]}: a workflow's tasks, optionally only those in some buckets. */
@Command(name = "workflow_tasks", sortOptions = false, usageHelpAutoWidth = true,
        description = {"The tasks of a workflow, with their status and retries.",
            "A status is PENDING, RUNNING, DONE or FATAL. Works while the workflow runs."},
        footerHeading = "%n",
        footer = {"Columns: TASK_ID TASK_NAME STATUS RETRIES (RETRIES = max(0, attempts - 1)).",
            "JSON keys: task_id, task_name, status, retries."})
public final class WorkflowTasksCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-w", "--workflow_id"}, required = true, paramLabel = "ID", description = "the workflow")
    private long workflowId;

    @Option(names = {"-s", "--status"}, arity = "1..*", paramLabel = "STATUS", converter = Bucket.Converter.class,
            description = "only tasks in these statuses: PENDING, RUNNING, DONE, FATAL (any case; several: -s pending running)")
    private List<Bucket> statuses = new ArrayList<>();

    @Option(names = {"-n", "--json"}, description = "print a JSON array of objects instead of the table")
    private boolean json;

    @Override
    public Integer call() {
        List<TaskRow> tasks;
        try (Database db = StatusSupport.open(cli)) {
            StatusDao dao = new StatusDao();
            tasks = db.jdbi().withHandle(h -> {
                if (dao.workflows(h, List.of(workflowId)).isEmpty()) {
                    throw StatusSupport.noWorkflow(List.of(workflowId), db);
                }
                return dao.tasks(h, workflowId, Bucket.taskCodes(statuses));
            });
        }
        var out = spec.commandLine().getOut();
        if (json) {
            Formats.printJson(out, tasks.stream().map(WorkflowTasksCommand::json).toList());
            return ExitCodes.OK;
        }
        if (tasks.isEmpty()) {
            spec.commandLine().getErr().println("jobmon: workflow " + workflowId + " has no tasks"
                    + (statuses.isEmpty() ? "" : " in status " + Formats.list(statuses, 4)));
            return ExitCodes.OK;
        }
        Table t = new Table(List.of(Column.right("TASK_ID"), Column.shrinkable("TASK_NAME", 12), Column.left("STATUS"),
                Column.right("RETRIES")));
        for (TaskRow r : tasks) {
            t.row(List.of(Long.toString(r.id()), r.name(), Bucket.ofTask(r.status()).name(), Integer.toString(retries(r))));
        }
        Formats.printLines(out, t.renderAnyway(Table.MAX_WIDTH));
        return ExitCodes.OK;
    }

    static int retries(TaskRow r) {
        return Math.max(0, r.numAttempts() - 1);
    }

    static Map<String, Object> json(TaskRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_id", r.id());
        m.put("task_name", r.name());
        m.put("status", Bucket.ofTask(r.status()).name());
        m.put("retries", retries(r));
        return m;
    }
}
