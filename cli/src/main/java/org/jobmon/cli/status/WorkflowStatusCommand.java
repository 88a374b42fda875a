package org.jobmon.cli.status;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.status.Table.Column;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.StatusDao;
import org.jobmon.persistence.dao.StatusDao.StatusCount;
import org.jobmon.persistence.dao.StatusDao.WorkflowRow;
import org.jdbi.v3.core.Handle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon workflow_status [-w ID...] [-u USER...] [-n]}: one row per workflow with its task
 * counts per status bucket and its retries. Without -w or -u: the caller's newest workflows.
 */
@Command(name = "workflow_status", sortOptions = false, usageHelpAutoWidth = true,
        description = {"How many tasks of each workflow are PENDING, RUNNING, DONE and FATAL.",
            "Without -w or -u: your newest workflows (those you have a run of). Works while workflows run."},
        footerHeading = "%n",
        footer = {"Columns: WF_ID WF_NAME WF_STATUS CREATED TASKS PENDING RUNNING DONE FATAL RETRIES. A count is shown as "
            + "\"n (pct%%)\" of the workflow's tasks; RETRIES is the sum over its tasks of max(0, attempts - 1).",
            "JSON keys: wf_id, wf_name, wf_status, created, tasks, pending, running, done, fatal, retries."})
public final class WorkflowStatusCommand implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 20;

    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-w", "--workflow_id"}, arity = "1..*", paramLabel = "ID",
            description = "the workflows to show (several: -w 9876 1234)")
    private List<Long> workflowIds = new ArrayList<>();

    @Option(names = {"-u", "--user"}, arity = "1..*", paramLabel = "USER",
            description = "show the workflows these users have runs of (with -w: only those of the given ones)")
    private List<String> users = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "at most this many workflows per listing by user, newest first (default: ${DEFAULT-VALUE})")
    private int limit;

    @Option(names = {"-n", "--json"}, description = "print a JSON array of objects instead of the table")
    private boolean json;

    /** A workflow and its counts. */
    record Summary(WorkflowRow workflow, Map<Bucket, Long> counts, long tasks, long retries) {
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 or more, not " + limit);
        }
        List<Summary> summaries;
        String none;
        try (Database db = StatusSupport.open(cli)) {
            Set<Long> wanted = new LinkedHashSet<>(workflowIds);
            List<String> who = users.isEmpty() && wanted.isEmpty() ? List.of(StatusSupport.currentUser()) : users;
            summaries = db.jdbi().withHandle(h -> load(h, db, wanted, who, limit));
            none = wanted.isEmpty() ? "no workflows with a run by " + String.join(", ", who) + " in " + db.displayUrl()
                    : "none of workflows " + Formats.ids(wanted) + " has a run by " + String.join(", ", who);
        }
        var out = spec.commandLine().getOut();
        if (json) {
            Formats.printJson(out, summaries.stream().map(WorkflowStatusCommand::json).toList());
        } else if (summaries.isEmpty()) {
            spec.commandLine().getErr().println("jobmon: " + none);
        } else {
            Formats.printLines(out, table(summaries));
        }
        return ExitCodes.OK;
    }

    /**
     * The workflows {@code wanted} (all must exist), or those that {@code who} have runs of (the
     * newest {@code limit}; only among {@code wanted} when both are given), with their counts.
     */
    static List<Summary> load(Handle h, Database db, Set<Long> wanted, List<String> who, int limit) {
        StatusDao dao = new StatusDao();
        Map<Long, WorkflowRow> found = new HashMap<>();
        if (!wanted.isEmpty()) {
            dao.workflows(h, wanted).forEach(w -> found.put(w.id(), w));
            Set<Long> missing = new LinkedHashSet<>(wanted);
            missing.removeAll(found.keySet());
            if (!missing.isEmpty()) {
                throw StatusSupport.noWorkflow(missing, db);
            }
        }
        List<Long> ids;
        if (who.isEmpty()) {
            ids = new ArrayList<>(wanted);
        } else {
            ids = dao.workflowIdsOfUsers(h, who, wanted, wanted.isEmpty() ? limit : wanted.size());
            if (wanted.isEmpty()) {
                dao.workflows(h, ids).forEach(w -> found.put(w.id(), w));
            }
        }
        return summarize(ids, found, dao.statusCounts(h, ids));
    }

    private static List<Summary> summarize(List<Long> ids, Map<Long, WorkflowRow> rows, List<StatusCount> counts) {
        Map<Long, EnumMap<Bucket, Long>> byWorkflow = new HashMap<>();
        Map<Long, Long> retries = new HashMap<>();
        for (StatusCount c : counts) {
            byWorkflow.computeIfAbsent(c.workflowId(), k -> new EnumMap<>(Bucket.class)).merge(Bucket.ofTask(c.status()), c.tasks(),
                    Long::sum);
            retries.merge(c.workflowId(), c.retries(), Long::sum);
        }
        List<Summary> out = new ArrayList<>();
        for (long id : ids) {
            WorkflowRow w = rows.get(id);
            if (w == null) {
                continue;
            }
            EnumMap<Bucket, Long> m = new EnumMap<>(Bucket.class);
            for (Bucket b : Bucket.values()) {
                m.put(b, byWorkflow.getOrDefault(id, new EnumMap<>(Bucket.class)).getOrDefault(b, 0L));
            }
            long tasks = m.values().stream().mapToLong(Long::longValue).sum();
            out.add(new Summary(w, m, tasks, retries.getOrDefault(id, 0L)));
        }
        return out;
    }

    static String statusLabel(char code) {
        try {
            return WorkflowStatus.of(code).name();
        } catch (IllegalArgumentException e) {
            return String.valueOf(code);
        }
    }

    static Map<String, Object> json(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wf_id", s.workflow().id());
        m.put("wf_name", s.workflow().name());
        m.put("wf_status", statusLabel(s.workflow().status()));
        LocalDateTime created = s.workflow().created();
        m.put("created", Formats.jsonTime(created));
        m.put("tasks", s.tasks());
        m.put("pending", s.counts().get(Bucket.PENDING));
        m.put("running", s.counts().get(Bucket.RUNNING));
        m.put("done", s.counts().get(Bucket.DONE));
        m.put("fatal", s.counts().get(Bucket.FATAL));
        m.put("retries", s.retries());
        return m;
    }

    /** The table with "n (pct%)" counts; with bare counts when that is too wide for 100 columns. */
    static List<String> table(List<Summary> summaries) {
        for (boolean percent : new boolean[] {true, false}) {
            Table t = new Table(List.of(Column.right("WF_ID"), Column.shrinkable("WF_NAME", 10), Column.left("WF_STATUS"),
                    Column.left("CREATED"), Column.right("TASKS"), Column.right("PENDING"), Column.right("RUNNING"),
                    Column.right("DONE"), Column.right("FATAL"), Column.right("RETRIES")));
            for (Summary s : summaries) {
                List<String> cells = new ArrayList<>(List.of(Long.toString(s.workflow().id()), s.workflow().name(),
                        statusLabel(s.workflow().status()), Formats.tableTime(s.workflow().created()), Long.toString(s.tasks())));
                for (Bucket b : Bucket.values()) {
                    long n = s.counts().get(b);
                    cells.add(percent ? Formats.countWithPercent(n, s.tasks()) : Long.toString(n));
                }
                cells.add(Long.toString(s.retries()));
                t.row(cells);
            }
            Optional<List<String>> lines = t.render(Table.MAX_WIDTH);
            if (lines.isPresent()) {
                return lines.get();
            }
            if (!percent) {
                return t.renderAnyway(Table.MAX_WIDTH);
            }
        }
        throw new AssertionError("unreachable");
    }
}
