package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.status.Table.Column;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.StatusDao;
import org.jobmon.persistence.dao.StatusDao.InstanceRow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon task_status -t ID... [-s STATUS...] [-n]}: every attempt (task instance) of these
 * tasks, with where it ran, what it used, where its output went and why it failed.
 */
@Command(name = "task_status", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Every attempt (task instance) of the tasks, and why it failed.",
            "For each: executor id, status, exit code, host, usage (wallclock, max RSS), stdout and stderr paths and the "
                + "error logged for it. Works while the workflow runs."},
        footerHeading = "%n",
        footer = {"Columns: TASK_ID TASK_INSTANCE_ID EXECUTOR_ID STATUS EXIT_CODE HOSTNAME USAGE; below a row, when known: "
            + "stdout, stderr, error_trace (the error's last line; all of it in JSON).",
            "JSON keys: task_id, task_instance_id, executor_id, status, exit_code, hostname, wallclock_s, maxrss_bytes, "
                + "stdout, stderr, error_trace."})
public final class TaskStatusCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--task_id"}, required = true, arity = "1..*", paramLabel = "ID|NAME",
            description = "the tasks, by id or (with -w) by name (several: -t 1234 7652, or -w 3 -t transform_1_2)")
    private List<String> tasks = new ArrayList<>();

    @Option(names = {"-w", "--workflow_id"}, paramLabel = "ID", description = "the workflow that task names are looked up in")
    private Long workflowId;

    @Option(names = {"-s", "--status"}, arity = "1..*", paramLabel = "STATUS", converter = Bucket.Converter.class,
            description = "only attempts in these statuses: PENDING, RUNNING, DONE, FATAL (any case)")
    private List<Bucket> statuses = new ArrayList<>();

    @Option(names = {"-n", "--json"}, description = "print a JSON array of objects instead of the table")
    private boolean json;

    @Override
    public Integer call() {
        Set<Long> wanted = new LinkedHashSet<>();
        List<InstanceRow> rows;
        try (Database db = StatusSupport.open(cli)) {
            StatusDao dao = new StatusDao();
            rows = db.jdbi().withHandle(h -> {
                wanted.addAll(StatusSupport.taskIds(h, tasks, workflowId));
                Set<Long> missing = new LinkedHashSet<>(wanted);
                missing.removeAll(dao.workflowOfTasks(h, wanted).keySet());
                if (!missing.isEmpty()) {
                    throw StatusSupport.noTask(missing, db);
                }
                return dao.instances(h, wanted, Bucket.instanceCodes(statuses));
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Formats.printJson(out, rows.stream().map(TaskStatusCommand::json).toList());
            return ExitCodes.OK;
        }
        Set<Long> without = new LinkedHashSet<>(wanted);
        rows.forEach(r -> without.remove(r.taskId()));
        if (!without.isEmpty()) {
            spec.commandLine().getErr().println("jobmon: no attempts" + (statuses.isEmpty() ? "" : " in status "
                    + Formats.list(statuses, 4)) + " of task" + (without.size() == 1 ? " " : "s ") + Formats.ids(without));
            spec.commandLine().getErr().flush();
        }
        if (!rows.isEmpty()) {
            Formats.printLines(out, table(rows));
        }
        return ExitCodes.OK;
    }

    /**
     * One aligned row per attempt; its stdout, stderr and error lines (those known) are indented
     * below it, cut to 100 columns (paths keep their end).
     */
    static List<String> table(List<InstanceRow> rows) {
        Table t = new Table(List.of(Column.right("TASK_ID"), Column.right("TASK_INSTANCE_ID"), Column.shrinkable("EXECUTOR_ID", 11),
                Column.left("STATUS"), Column.right("EXIT_CODE"), Column.shrinkable("HOSTNAME", 10), Column.left("USAGE")));
        for (InstanceRow r : rows) {
            t.row(List.of(Long.toString(r.taskId()), Long.toString(r.id()), orDash(r.executorId()), Bucket.ofInstance(r.status()).name(),
                    r.exitCode() == null ? "-" : r.exitCode().toString(), orDash(r.hostname()),
                    Formats.usage(r.wallclockSeconds(), r.maxRssBytes())));
        }
        List<String> lines = t.renderAnyway(Table.MAX_WIDTH);
        List<String> out = new ArrayList<>();
        out.add(lines.get(0));
        for (int i = 0; i < rows.size(); i++) {
            out.add(lines.get(i + 1));
            InstanceRow r = rows.get(i);
            detail(out, "stdout", r.stdout(), true);
            detail(out, "stderr", r.stderr(), true);
            detail(out, "error_trace", Formats.lastLine(r.errorTrace()), false);
        }
        return out;
    }

    private static void detail(List<String> out, String label, String value, boolean path) {
        if (value == null || value.isBlank()) {
            return;
        }
        String prefix = "    " + label + ": ";
        out.add(prefix + Table.cut(value.replaceAll("[\\r\\n\\t]+", " "), Table.MAX_WIDTH - prefix.length(), path));
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    static Map<String, Object> json(InstanceRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task_id", r.taskId());
        m.put("task_instance_id", r.id());
        m.put("executor_id", r.executorId());
        m.put("status", Bucket.ofInstance(r.status()).name());
        m.put("exit_code", r.exitCode());
        m.put("hostname", r.hostname());
        m.put("wallclock_s", r.wallclockSeconds());
        m.put("maxrss_bytes", r.maxRssBytes());
        m.put("stdout", r.stdout());
        m.put("stderr", r.stderr());
        m.put("error_trace", r.errorTrace());
        return m;
    }
}
