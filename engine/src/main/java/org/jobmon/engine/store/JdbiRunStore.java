package org.jobmon.engine.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.persistence.DatabaseErrors;
import org.jobmon.persistence.dao.IdBlocks;
import org.jobmon.persistence.dao.TaskInstanceDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The run store on the state database. */
public final class JdbiRunStore implements RunStore {
    private static final Logger log = LoggerFactory.getLogger(JdbiRunStore.class);

    private final Jdbi jdbi;
    private final long workflowId;
    private final long runId;
    private final Duration leaseLength;

    /**
     * @param leaseLength how long each renewal keeps the lease: the run's expiry (3.1 heartbeats)
     */
    public JdbiRunStore(Jdbi jdbi, long workflowId, long runId, Duration leaseLength) {
        this.jdbi = jdbi;
        this.workflowId = workflowId;
        this.runId = runId;
        this.leaseLength = leaseLength;
    }

    private record Row(char status, long cycle) {
    }

    @Override
    public Lease commit(List<CycleWrites> pending, boolean start) {
        return transaction(h -> {
            Row row = lockRun(h);
            boolean startable = start && (row.status() == WorkflowRunStatus.REGISTERED.code()
                    || row.status() == WorkflowRunStatus.BOUND.code());
            if (!startable && LEASED.indexOf(row.status()) < 0) {
                return new Lease(false, row.status(), 0);
            }
            long last = writePending(h, pending, row.cycle());
            char status = row.status();
            if (startable) {
                status = WorkflowRunStatus.RUNNING.code();
                h.createUpdate("UPDATE workflow_run SET status = 'R', status_date = CURRENT_TIMESTAMP(6) WHERE id = :r")
                        .bind("r", runId).execute();
                h.createUpdate("UPDATE workflow SET status = 'R', status_date = CURRENT_TIMESTAMP(6) WHERE id = :w")
                        .bind("w", workflowId).execute();
            }
            h.createUpdate("UPDATE workflow_run SET lease_cycle = :c, heartbeat_date = <utc_now>, "
                    + "report_by_date = TIMESTAMPADD(MICROSECOND, :us, <utc_now>) WHERE id = :r")
                    .bind("c", last).bind("us", leaseLength.toNanos() / 1000).bind("r", runId).execute();
            int limit = h.createQuery("SELECT max_concurrently_running FROM workflow WHERE id = :w").bind("w", workflowId)
                    .mapTo(Integer.class).one();
            return new Lease(true, status, limit);
        });
    }

    @Override
    public boolean finish(List<CycleWrites> pending, WorkflowRunStatus runStatus, Character workflowStatus, long endCycle) {
        return transaction(h -> {
            Row row = lockRun(h);
            if (row.status() == runStatus.code() && row.cycle() >= endCycle) {
                // recorded by an earlier call whose acknowledgement was lost
                return true;
            }
            if (LEASED.indexOf(row.status()) < 0 && row.status() != WorkflowRunStatus.REGISTERED.code()
                    && row.status() != WorkflowRunStatus.BOUND.code()) {
                return false;
            }
            writePending(h, pending, row.cycle());
            h.createUpdate("UPDATE workflow_run SET status = :s, status_date = CURRENT_TIMESTAMP(6), lease_cycle = :c, "
                    + "heartbeat_date = <utc_now> WHERE id = :r")
                    .bind("s", String.valueOf(runStatus.code())).bind("c", endCycle).bind("r", runId).execute();
            if (workflowStatus != null) {
                h.createUpdate("UPDATE workflow SET status = :s, status_date = CURRENT_TIMESTAMP(6) WHERE id = :w")
                        .bind("s", String.valueOf(workflowStatus)).bind("w", workflowId).execute();
            }
            return true;
        });
    }

    @Override
    public Look look() {
        return call(() -> jdbi.withHandle(h -> h.createQuery("SELECT r.status, w.max_concurrently_running FROM workflow_run r "
                + "JOIN workflow w ON w.id = r.workflow_id WHERE r.id = :r").bind("r", runId)
                .map((rs, ctx) -> new Look(rs.getString(1).charAt(0), rs.getInt(2))).one()));
    }

    @Override
    public List<Long> killOrders() {
        return transaction(h -> new TaskInstanceDao().killOrdered(h, workflowId));
    }

    @Override
    public long reserveIds(String sequence, int count) {
        return call(() -> IdBlocks.reserve(jdbi, sequence, count));
    }

    private Row lockRun(Handle h) {
        Optional<Row> row = h.createQuery("SELECT status, lease_cycle FROM workflow_run WHERE id = :r FOR UPDATE").bind("r", runId)
                .map((rs, ctx) -> new Row(rs.getString(1).charAt(0), rs.getLong(2))).findOne();
        return row.orElseThrow(() -> new IllegalStateException("workflow run " + runId + " is not in the database"));
    }

    /** Writes the cycles the row has not seen yet; returns the last cycle's number. */
    private long writePending(Handle h, List<CycleWrites> pending, long committed) {
        long last = committed;
        for (CycleWrites w : pending) {
            if (w.number() <= committed) {
                // written by an earlier commit whose acknowledgement was lost
                continue;
            }
            Set<Long> changedUnderUs = w.write(h, runId);
            if (!changedUnderUs.isEmpty()) {
                log.warn("workflow run {}: {} task(s) were changed by another process meanwhile and keep that change (e.g. task {})",
                        runId, changedUnderUs.size(), changedUnderUs.iterator().next());
            }
            last = Math.max(last, w.number());
        }
        return last;
    }

    private <T> T transaction(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        return call(() -> jdbi.inTransaction(work));
    }

    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (DatabaseErrors.isTransient(e)) {
                throw new StoreUnavailableException(DatabaseErrors.describe(e), e);
            }
            throw e;
        }
    }

    /** The workflow status a run's end gives its workflow. */
    public static Character workflowStatusAfter(WorkflowRunStatus end) {
        return switch (end) {
            case DONE -> WorkflowStatus.DONE.code();
            case STOPPED -> WorkflowStatus.SUSPENDED.code();
            // a terminated run handed the workflow to the run that resumed it
            case TERMINATED, COLD_RESUME, HOT_RESUME -> null;
            case ERROR, ABORTED, REGISTERED, BOUND, RUNNING -> WorkflowStatus.FAILED.code();
        };
    }
}
