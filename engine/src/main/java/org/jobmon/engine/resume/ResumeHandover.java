package org.jobmon.engine.resume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.engine.reconcile.DeadRunReconciler;
import org.jobmon.engine.reconcile.DeadRunReconciler.LiveInstance;
import org.jobmon.engine.reconcile.DeadRunReconciler.LiveInstances;
import org.jobmon.persistence.dao.WorkflowDao;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a workflow over from its earlier runs before a resume. A run whose controller still lives
 * is told through its row (COLD_RESUME or HOT_RESUME); it stops scheduling within one heartbeat,
 * kills or leaves its instances, and ends TERMINATED, and the resume waits for that. A dead run
 * (expired heartbeat) is settled at once. Then every instance still open is settled from its
 * records: a cold resume kills those still running, a hot resume adopts them.
 */
public final class ResumeHandover {
    private static final Logger log = LoggerFactory.getLogger(ResumeHandover.class);
    private static final String LIVE = "GBR";


    private final Jdbi jdbi;
    private final DeadRunReconciler reconciler;
    private final Duration handoverTimeout;
    private final WorkflowDao workflows = new WorkflowDao();

    /**
     * @param handoverTimeout how long to wait for a live controller to hand over before giving up
     */
    public ResumeHandover(Jdbi jdbi, DeadRunReconciler reconciler, Duration handoverTimeout) {
        this.jdbi = jdbi;
        this.reconciler = reconciler;
        this.handoverTimeout = handoverTimeout;
    }

    /**
     * Waits for the runs the claim asked to hand over, renewing the new run's lease meanwhile, then
     * settles the earlier runs' open instances. Returns the instances a hot resume adopts (none for
     * a cold one). {@code waiting} hears, once per run, whom the resume waits for and for how long at most.
     */
    public List<LiveInstance> takeOver(long workflowId, WorkflowClaim.Claimed claim, boolean hot, Duration leaseLength,
            java.util.function.Consumer<String> waiting) {
        return takeOver(workflowId, claim, hot, leaseLength, waiting, run -> java.util.Optional.empty());
    }

    /**
     * The same; {@code probe} gives, for an earlier run whose jobs live in a batch scheduler, an
     * executor made for that run's folder, which is asked about, deletes or hands over its jobs.
     */
    public List<LiveInstance> takeOver(long workflowId, WorkflowClaim.Claimed claim, boolean hot, Duration leaseLength,
            java.util.function.Consumer<String> waiting,
            java.util.function.LongFunction<java.util.Optional<org.jobmon.api.executor.Executor>> probe) {
        reconciler.settle(workflowId);
        long deadline = System.nanoTime() + handoverTimeout.toNanos();
        long nextRenewal = 0;
        for (RunRow r : claim.handingOver()) {
            boolean told = false;
            while (true) {
                char now = jdbi.withHandle(h -> workflows.runStatus(h, r.id()));
                if (now != WorkflowRunStatus.COLD_RESUME.code() && now != WorkflowRunStatus.HOT_RESUME.code()
                        && LIVE.indexOf(now) < 0) {
                    break;
                }
                if (reconciler.settle(workflowId).contains(r.id())) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    jdbi.useHandle(h -> workflows.setRunStatus(h, claim.runId(), WorkflowRunStatus.ABORTED.code()));
                    throw new JobmonException(ErrorCode.REFUSED, WorkflowClaim.describe(r) + " was asked to hand the workflow "
                            + "over but did not within " + handoverTimeout.toSeconds() + " s while still heart-beating: if that "
                            + "controller is stuck, kill it (kill " + r.pid() + " on " + r.hostname() + ") and resume again");
                }
                if (!told) {
                    told = true;
                    String msg = "waiting for " + WorkflowClaim.describe(r) + " to hand the workflow over ("
                            + (hot ? "hot" : "cold: it kills its running tasks") + "), at most "
                            + Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toSeconds()) + " s";
                    log.info(msg);
                    waiting.accept(msg);
                }
                if (System.nanoTime() >= nextRenewal) {
                    nextRenewal = System.nanoTime() + leaseLength.toNanos() / 4;
                    if (!jdbi.withHandle(h -> workflows.renewLease(h, claim.runId(), "GB", leaseLength))) {
                        throw new JobmonException(ErrorCode.REFUSED, "workflow run " + claim.runId() + " lost its claim on workflow "
                                + workflowId + " while it waited for " + WorkflowClaim.describe(r) + " (another process marked it "
                                + "dead); resume again");
                    }
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JobmonException(ErrorCode.REFUSED, "interrupted while waiting for workflow run " + r.id()
                            + " to hand over");
                }
            }
        }
        List<Long> earlier = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT i.workflow_run_id FROM task_instance i "
                + "JOIN workflow_run r ON r.id = i.workflow_run_id WHERE r.workflow_id = :w AND r.id <> :me "
                + "AND i.status IN ('I', 'B', 'R', 'T', 'K')").bind("w", workflowId).bind("me", claim.runId()).mapTo(Long.class).list());
        List<LiveInstance> adopted = new ArrayList<>();
        for (long runId : earlier) {
            String when = "when workflow " + workflowId + " was resumed";
            java.util.Optional<org.jobmon.api.executor.Executor> asked = reconciler.ranOnBatchScheduler(runId) ? probe.apply(runId)
                    : java.util.Optional.empty();
            if (asked.isPresent()) {
                try (org.jobmon.api.executor.Executor executor = asked.get()) {
                    adopted.addAll(reconciler.settleWithExecutor(runId, hot, executor, when));
                }
            } else {
                adopted.addAll(reconciler.settleInstances(runId, hot ? LiveInstances.LEAVE : LiveInstances.KILL, true, when));
            }
        }
        return adopted;
    }
}
