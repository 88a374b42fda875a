package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.SelfServiceDao;
import org.jobmon.persistence.dao.SelfServiceDao.WorkflowRef;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon concurrency_limit -w ID -n N}: sets how many of the workflow's tasks may be
 * submitted or running at once. A running workflow reads it every scheduling cycle, so the change
 * takes effect at once; 0 pauses it (what runs finishes, nothing new starts); raising it resumes.
 */
@Command(name = "concurrency_limit", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Set how many tasks of a workflow may run at once.",
            "The limit (max_concurrently_running) counts tasks submitted or running. A running workflow applies it within "
                + "one scheduling cycle: 0 pauses it (running tasks finish, none start), a higher number lets it go on. "
                + "A later resume sets the limit again from its own options."},
        footerHeading = "%n",
        footer = {"Exit codes: 0 set; 1 no such workflow, or another user's without --other-user; 2 bad usage."})
public final class ConcurrencyLimitCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-w", "--workflow_id"}, required = true, paramLabel = "ID", description = "the workflow")
    private long workflowId;

    @Option(names = {"-n", "--max_tasks"}, required = true, paramLabel = "N",
            description = "the new limit: 0 or more (0 pauses the workflow)")
    private int limit;

    @Option(names = "--other-user", description = "change it even if other users started all of the workflow's runs")
    private boolean otherUser;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "-n must be 0 (pause) or more, not " + limit);
        }
        SelfServiceDao dao = new SelfServiceDao();
        WorkflowRef before;
        List<RunRow> alive;
        try (Database db = StatusSupport.open(cli)) {
            before = StatusSupport.writing(db, "change workflow " + workflowId + "'s concurrency limit", () -> db.jdbi().inTransaction(h -> {
                WorkflowRef w = dao.workflow(h, workflowId).orElseThrow(() -> StatusSupport.noWorkflow(List.of(workflowId), db));
                List<String> users = dao.runUsers(h, workflowId);
                String me = StatusSupport.currentUser();
                if (!otherUser && !users.isEmpty() && !users.contains(me)) {
                    throw new JobmonException(ErrorCode.REFUSED, "workflow " + workflowId + " was run by " + String.join(", ", users)
                            + ", not by you (" + me + "): pass --other-user to change its concurrency limit anyway");
                }
                if (!dao.setConcurrencyLimit(h, workflowId, w.maxConcurrentlyRunning(), limit)) {
                    throw new JobmonException(ErrorCode.REFUSED, "the concurrency limit of workflow " + workflowId
                            + " changed while it was being set (another jobmon concurrency_limit or a resume?): try again");
                }
                return w;
            }));
            alive = db.jdbi().withHandle(h -> StatusSupport.aliveRuns(h, workflowId));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("workflow " + workflowId + " (" + before.name() + "): concurrency limit " + before.maxConcurrentlyRunning()
                + " -> " + limit + (limit == 0 ? " (paused)" : ""));
        if (!alive.isEmpty()) {
            out.println(StatusSupport.describe(alive.get(0)) + " applies it within one scheduling cycle"
                    + (limit == 0 ? ": running tasks finish, none start until the limit is raised" : ""));
        } else {
            out.println("no run of it is active now; a resume sets the limit from its own max_concurrently_running");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
