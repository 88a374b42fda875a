package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.DagDao;
import org.jobmon.persistence.dao.SelfServiceDao;
import org.jobmon.persistence.dao.SelfServiceDao.StatusUpdate;
import org.jobmon.persistence.dao.SelfServiceDao.TaskRef;
import org.jobmon.persistence.dao.SelfServiceDao.WorkflowRef;
import org.jobmon.persistence.dao.TaskDao;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;
import org.jdbi.v3.core.Handle;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code jobmon update_task_status -t ID... -w ID -s D|F}: marks tasks DONE (only those listed) or
 * ERROR_FATAL (those listed and every task downstream of them), so that a resume skips or re-runs
 * them. The seed's rules: (1) every change goes to the database, in one transaction with an audit
 * row per task; (2) only an inactive workflow (no run alive); (3) the caller must have a run of
 * the workflow; (4) the tasks must belong to it. A DONE workflow that gets a task back to F becomes
 * SUSPENDED, so that it can be resumed.
 */
@Command(name = "update_task_status", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Set tasks of an inactive workflow to DONE or ERROR_FATAL, for a resume.",
            "D marks only the listed tasks DONE; F marks them and every task downstream of them ERROR_FATAL. Then resume "
                + "the workflow: it skips DONE tasks and runs the rest. A DONE workflow that gets tasks set to F becomes "
                + "SUSPENDED, so that it can be resumed."},
        footerHeading = "%nRules (a refusal names its rule and exits 1):%n",
        footer = {"rule 1: every change is written in one transaction, with a task_status_audit row per task.",
            "rule 2: only inactive workflows: no run of it may be alive (an active status and a heartbeat younger than 3.1 "
                + "heartbeat intervals, 93 s by default).",
            "rule 3: you (user.name) must have at least one workflow run of the workflow.",
            "rule 4: the tasks must all belong to the workflow."})
public final class UpdateTaskStatusCommand implements Callable<Integer> {
    static final String RULE_INACTIVE = "rule 2: only inactive workflows can have task statuses updated";
    static final String RULE_USER = "rule 3: the updating user must have at least one workflow run of the workflow";
    static final String RULE_TASKS = "rule 4: the tasks must all belong to the workflow";

    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--task_ids"}, required = true, arity = "1..*", paramLabel = "ID|NAME",
            description = "the tasks to set, by id or name (several: -t 12 13 14, or -t transform_1_2)")
    private List<String> tasks = new ArrayList<>();

    @Option(names = {"-w", "--workflow_id"}, required = true, paramLabel = "ID", description = "the workflow they belong to")
    private long workflowId;

    @Option(names = {"-s", "--new_status"}, required = true, paramLabel = "D|F", converter = NewStatus.class,
            description = "D: the listed tasks become DONE; F: they and all their downstream tasks become ERROR_FATAL (any case)")
    private TaskStatus status;

    /** What changed. */
    record Outcome(WorkflowRef workflow, List<StatusUpdate> changed, int listed, int downstream, int unchanged, boolean suspended) {
    }

    @Override
    public Integer call() {
        String user = StatusSupport.currentUser();
        Outcome o;
        try (Database db = StatusSupport.open(cli)) {
            o = StatusSupport.writing(db, "update task statuses", () -> db.jdbi().inTransaction(h -> update(h, db,
                    StatusSupport.taskIds(h, tasks, workflowId), user)));
        }
        PrintWriter out = spec.commandLine().getOut();
        String label = status.name() + " (" + status.code() + ")";
        out.print("workflow " + workflowId + " (" + o.workflow().name() + "): ");
        if (o.changed().isEmpty()) {
            out.println("nothing to change: the tasks are already " + label);
        } else {
            out.println(o.changed().size() + (o.changed().size() == 1 ? " task" : " tasks") + " set to " + label + ": "
                    + Formats.list(o.changed().stream().map(StatusUpdate::taskId).toList(), 20)
                    + (status == TaskStatus.ERROR_FATAL ? " (" + o.listed() + " listed, " + o.downstream() + " downstream)" : "")
                    + (o.unchanged() > 0 ? "; " + o.unchanged() + " already " + status.code() : ""));
        }
        if (o.suspended()) {
            out.println("the workflow was DONE and is now SUSPENDED (S), so it can be resumed");
        }
        out.println("resume the workflow to " + (status == TaskStatus.DONE ? "go on from these tasks" : "re-run them")
                + " (jobmon run SPEC --resume, or run the same workflow with resume)");
        out.flush();
        return ExitCodes.OK;
    }

    private Outcome update(Handle h, Database db, Set<Long> wanted, String user) {
        SelfServiceDao dao = new SelfServiceDao();
        WorkflowRef wf = dao.lockWorkflow(h, workflowId).orElseThrow(() -> StatusSupport.noWorkflow(List.of(workflowId), db));
        List<TaskRef> listed = dao.tasks(h, wanted);
        Set<Long> missing = new LinkedHashSet<>(wanted);
        listed.forEach(t -> missing.remove(t.id()));
        if (!missing.isEmpty()) {
            throw StatusSupport.noTask(missing, db);
        }
        List<RunRow> alive = StatusSupport.aliveRuns(h, workflowId);
        if (!alive.isEmpty()) {
            throw new JobmonException(ErrorCode.REFUSED, "refused by " + RULE_INACTIVE + ": workflow " + workflowId
                    + " is being run by " + StatusSupport.describe(alive.get(0)) + "; wait for the run to end or stop it, "
                    + "then try again");
        }
        if (!dao.hasRunBy(h, workflowId, user)) {
            List<String> users = dao.runUsers(h, workflowId);
            throw new JobmonException(ErrorCode.REFUSED, "refused by " + RULE_USER + ": user '" + user
                    + "' has no run of workflow " + workflowId + (users.isEmpty() ? " (it has never been run)"
                            : " (its runs are by " + Formats.list(users, 5) + ")"));
        }
        List<TaskRef> foreign = listed.stream().filter(t -> t.workflowId() != workflowId).toList();
        if (!foreign.isEmpty()) {
            throw new JobmonException(ErrorCode.REFUSED, "refused by " + RULE_TASKS + ": " + Formats.list(foreign.stream()
                    .map(t -> "task " + t.id() + " belongs to workflow " + t.workflowId()).toList(), 5)
                    + ", not to workflow " + workflowId);
        }

        Map<Long, TaskRef> targets = new LinkedHashMap<>();
        listed.forEach(t -> targets.put(t.id(), t));
        int downstream = 0;
        if (status == TaskStatus.ERROR_FATAL) {
            for (TaskRef t : downstream(h, dao, wf, listed)) {
                if (targets.putIfAbsent(t.id(), t) == null) {
                    downstream++;
                }
            }
        }
        char next = status.code();
        List<StatusUpdate> updates = new ArrayList<>();
        for (TaskRef t : targets.values()) {
            if (t.status() != next) {
                updates.add(new StatusUpdate(t.id(), t.status(), next));
            }
        }
        List<Long> raced = dao.setStatuses(h, workflowId, updates);
        if (!raced.isEmpty()) {
            throw new JobmonException(ErrorCode.REFUSED, "task" + (raced.size() == 1 ? " " : "s ") + Formats.list(raced, 10)
                    + " changed status while being updated (is a run of workflow " + workflowId + " starting?); nothing was "
                    + "changed: try again");
        }
        new TaskDao().audit(h, null, updates.stream().map(u -> new TaskDao.StatusChange(u.taskId(), u.previous(), u.next())).toList());
        boolean suspend = wf.status() == WorkflowStatus.DONE.code() && next != TaskStatus.DONE.code() && !updates.isEmpty();
        if (suspend && !dao.setWorkflowStatus(h, workflowId, WorkflowStatus.DONE.code(), WorkflowStatus.SUSPENDED.code())) {
            throw new JobmonException(ErrorCode.REFUSED, "workflow " + workflowId + " changed status while its tasks were being "
                    + "updated; nothing was changed: try again");
        }
        return new Outcome(wf, updates, listed.size(), downstream, targets.size() - updates.size(), suspend);
    }

    /**
     * Every task downstream of {@code from}, transitively: the workflow DAG's edges (by node) walked
     * from the tasks' nodes, then mapped back to this workflow's tasks.
     */
    private static List<TaskRef> downstream(Handle h, SelfServiceDao dao, WorkflowRef wf, List<TaskRef> from) {
        Map<Long, List<Long>> children = new HashMap<>();
        for (long[] e : new DagDao().edges(h, wf.dagId())) {
            children.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
        }
        Set<Long> seen = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>();
        from.forEach(t -> todo.add(t.nodeId()));
        Set<Long> start = new HashSet<>(todo);
        List<Long> found = new ArrayList<>();
        while (!todo.isEmpty()) {
            for (long c : children.getOrDefault(todo.poll(), List.of())) {
                if (seen.add(c)) {
                    todo.add(c);
                    if (!start.contains(c)) {
                        found.add(c);
                    }
                }
            }
        }
        return found.isEmpty() ? List.of() : dao.tasksOfNodes(h, wf.id(), found);
    }

    /** D or F, in any case (also DONE, FATAL, ERROR_FATAL); anything else is a usage error (exit 2). */
    static final class NewStatus implements ITypeConverter<TaskStatus> {
        @Override
        public TaskStatus convert(String value) {
            return switch (value.trim().toUpperCase(Locale.ROOT)) {
                case "D", "DONE" -> TaskStatus.DONE;
                case "F", "FATAL", "ERROR_FATAL" -> TaskStatus.ERROR_FATAL;
                default -> throw new TypeConversionException("'" + value + "' cannot be set: the status must be D (DONE) "
                        + "or F (ERROR_FATAL)");
            };
        }
    }
}
