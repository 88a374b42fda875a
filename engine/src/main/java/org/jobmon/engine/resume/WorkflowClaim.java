package org.jobmon.engine.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.engine.reconcile.DeadRunReconciler;
import org.jobmon.persistence.dao.WorkflowDao;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;

/**
 * One owner per run: a new run of a workflow is created in one transaction that locks the
 * workflow's row, looks at its runs and either creates the run or refuses. Two processes that claim
 * one workflow at once go one after the other: the second sees the first's run and is refused,
 * naming it. A resume that finds a live controller asks it, under the same lock, to hand over.
 */
public final class WorkflowClaim {
    /** Run statuses of a run that may still have a controller. */
    public static final String LIVE_LOOKING = "GBRCH";

    private final Jdbi jdbi;
    private final DeadRunReconciler reconciler;
    private final Duration heartbeat;
    private final Duration leaseLength;
    private final WorkflowDao workflows = new WorkflowDao();

    /**
     * Who claims: recorded on the run.
     *
     * @param lastRunSeen the newest workflow_run id when the claimant began (before binding): a live
     *     run newer than that was started while this one was getting ready, by a process racing it
     */
    public record Owner(String user, String host, long pid, String version, long lastRunSeen) {
    }

    /** The newest workflow_run id now: what a claimant notes when it begins. */
    public long lastRunId() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(max(id), 0) FROM workflow_run").mapTo(Long.class).one());
    }

    /**
     * A claimed workflow.
     *
     * @param runId the new run, REGISTERED, holding a lease it must renew while it waits
     * @param handingOver live runs asked to hand over (the resume waits for them)
     */
    public record Claimed(long runId, List<RunRow> handingOver) {
    }

    public WorkflowClaim(Jdbi jdbi, DeadRunReconciler reconciler, Duration heartbeat, Duration leaseLength) {
        this.jdbi = jdbi;
        this.reconciler = reconciler;
        this.heartbeat = heartbeat;
        this.leaseLength = leaseLength;
    }

    /**
     * Claims the workflow for a new run. Without {@code resume} a live run refuses the claim (saying
     * what a resume would do to it); with it, live runs are asked to hand over, cold or {@code hot}.
     * A claim in progress by another process (its run not yet started) refuses any other.
     */
    public Claimed claim(long workflowId, boolean resume, boolean hot, Owner owner) {
        return claim(workflowId, resume, hot, owner, false);
    }

    /**
     * {@link #claim(long, boolean, boolean, Owner)}; a resume of a workflow whose runs were all
     * started by other users is refused unless {@code otherUsers}.
     */
    public Claimed claim(long workflowId, boolean resume, boolean hot, Owner owner, boolean otherUsers) {
        // one transaction: a deadlock or a dropped connection rolled all of it back, so it is tried again whole
        return org.jobmon.engine.store.TransientRetry.call("claim workflow " + workflowId, Duration.ofSeconds(30),
                () -> claimOnce(workflowId, resume, hot, owner, otherUsers));
    }

    private Claimed claimOnce(long workflowId, boolean resume, boolean hot, Owner owner, boolean otherUsers) {
        return jdbi.inTransaction(h -> {
            workflows.lockWorkflow(h, workflowId);
            if (resume && !otherUsers) {
                List<String> users = h.createQuery("SELECT DISTINCT r.user FROM workflow_run r WHERE r.workflow_id = :w "
                        + "ORDER BY r.user").bind("w", workflowId).mapTo(String.class).list();
                if (!users.isEmpty() && !users.contains(owner.user())) {
                    throw new JobmonException(ErrorCode.REFUSED, "workflow " + workflowId + " was run by " + String.join(", ", users)
                            + ", not by you (" + owner.user() + "): resuming it takes it over from them. If that is what you "
                            + "mean, pass --other-user (RunOptions.withOtherUsersWorkflow(true) in Java)");
                }
            }
            List<RunRow> live = workflows.runsForUpdate(h, workflowId, LIVE_LOOKING).stream()
                    .filter(r -> !reconciler.isDead(r)).toList();
            for (RunRow r : live) {
                char s = r.status();
                if (s == WorkflowRunStatus.REGISTERED.code() || s == WorkflowRunStatus.BOUND.code() || r.id() > owner.lastRunSeen()) {
                    throw new JobmonException(ErrorCode.REFUSED, "workflow " + workflowId + " is being started or resumed right "
                            + "now by " + describe(r) + ": one run holds a workflow at a time. Wait for that run (jobmon "
                            + "workflow_status -w " + workflowId + ") or stop it (kill " + r.pid() + " on " + r.hostname() + ")");
                }
            }
            if (!resume && !live.isEmpty()) {
                throw runningNow(workflowId, live.get(0));
            }
            long runId = workflows.insertRun(h, workflowId, owner.user(), owner.host(), owner.pid(), owner.version(),
                    WorkflowRunStatus.REGISTERED.code(), heartbeat, leaseLength);
            char signal = hot ? WorkflowRunStatus.HOT_RESUME.code() : WorkflowRunStatus.COLD_RESUME.code();
            List<RunRow> asked = new ArrayList<>();
            for (RunRow r : live) {
                // a run still asked in the other mode (by a resume that gave up) is asked again in this one
                if (workflows.signalRun(h, r.id(), signal, "RCH")) {
                    asked.add(r);
                }
            }
            return new Claimed(runId, asked);
        });
    }

    /** The error for running a workflow that runs now, saying what a resume would do to it. */
    public static JobmonException runningNow(long workflowId, RunRow r) {
        return new JobmonException(ErrorCode.WORKFLOW_ALREADY_EXISTS, "WorkflowAlreadyExists: workflow " + workflowId
                + " is running right now: " + describe(r) + ". Resuming it would take it over from that run: a cold resume "
                + "(--resume) kills the tasks it is running, a hot resume (--resume --hot) adopts them and lets them finish. "
                + "To leave it alone, wait for it to end (jobmon workflow_status -w " + workflowId + ")");
    }

    /** The live run holding the workflow, if any (for messages). */
    public Optional<RunRow> liveRun(long workflowId) {
        return jdbi.withHandle(h -> workflows.runs(h, workflowId, LIVE_LOOKING)).stream().filter(r -> !reconciler.isDead(r))
                .findFirst();
    }

    /** A run as people know it: id, user, host, pid and heartbeat. */
    public static String describe(RunRow r) {
        return "workflow run " + r.id() + " (user " + r.user() + ", host " + r.hostname() + ", pid " + r.pid()
                + ", last heartbeat " + Math.max(0, r.sinceHeartbeat().toSeconds()) + " s ago)";
    }
}
