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

    /** Returns the instances of earlier runs that a hot resume adopts (none for a cold one). */
    public List<LiveInstance> takeOver(long workflowId, boolean hot) {
        reconciler.settle(workflowId);
        char signal = hot ? WorkflowRunStatus.HOT_RESUME.code() : WorkflowRunStatus.COLD_RESUME.code();
        List<RunRow> asked = new ArrayList<>();
        for (RunRow r : reconciler.liveLookingRuns(workflowId)) {
            // a run still holding the other mode's signal (an earlier resume gave up) is asked again in this mode
            if (jdbi.withHandle(h -> workflows.signalRun(h, r.id(), signal, LIVE + "CH"))) {
                asked.add(r);
                log.info("asked workflow run {} (host {}, pid {}) to hand over for a {} resume", r.id(), r.hostname(), r.pid(),
                        hot ? "hot" : "cold");
            }
        }
        long deadline = System.nanoTime() + handoverTimeout.toNanos();
        for (RunRow r : asked) {
            while (true) {
                char now = jdbi.withHandle(h -> workflows.runStatus(h, r.id()));
                if (now != WorkflowRunStatus.COLD_RESUME.code() && now != WorkflowRunStatus.HOT_RESUME.code()
                        && LIVE.indexOf(now) < 0) {
                    break;
                }
                if (!reconciler.settle(workflowId).isEmpty()) {
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    throw new JobmonException(ErrorCode.REFUSED, "workflow run " + r.id() + " (user " + r.user() + ", host "
                            + r.hostname() + ", pid " + r.pid() + ") was asked to hand the workflow over but did not within "
                            + handoverTimeout.toSeconds() + " s while still heart-beating: if that controller is stuck, "
                            + "kill it (kill " + r.pid() + " on " + r.hostname() + ") and resume again");
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
                + "JOIN workflow_run r ON r.id = i.workflow_run_id WHERE r.workflow_id = :w AND i.status IN ('I', 'B', 'R', 'T', 'K')")
                .bind("w", workflowId).mapTo(Long.class).list());
        List<LiveInstance> adopted = new ArrayList<>();
        for (long runId : earlier) {
            adopted.addAll(reconciler.settleInstances(runId, hot ? LiveInstances.LEAVE : LiveInstances.KILL,
                    "when workflow " + workflowId + " was resumed"));
        }
        return adopted;
    }
}
