package org.jobmon.persistence.dao;

import java.util.Collection;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Task instances (attempts), their errors and status history. */
public final class TaskInstanceDao {
    /** A new attempt, INSTANTIATED. */
    public record NewInstance(long id, long workflowRunId, long taskId, String executorType, Long parameterSetId,
            String stdout, String stderr) {
    }

    /** An attempt handed to the executor. */
    public record Submitted(long id, String executorId) {
    }

    /** An attempt that started running. */
    public record Started(long id, String nodename, Long processGroupId) {
    }

    /** An attempt that ended (or was refused), with what is known of it. */
    public record Ended(long id, char status, Integer exitCode, Double wallclockSeconds, Long maxRssBytes, String nodename) {
    }

    /** One status change of an instance. */
    public record StatusChange(long taskInstanceId, char previous, char next) {
    }

    /** An error description for an attempt. */
    public record ErrorLog(long taskInstanceId, String description) {
    }

    public void insert(Handle h, Collection<NewInstance> instances) {
        if (instances.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO task_instance (id, workflow_run_id, task_id, executor_type, "
                + "executor_parameter_set_id, status, stdout, stderr) VALUES (:id, :r, :t, :et, :eps, 'I', :o, :e)");
        for (NewInstance i : instances) {
            b.bind("id", i.id()).bind("r", i.workflowRunId()).bind("t", i.taskId()).bind("et", i.executorType())
                    .bind("eps", i.parameterSetId()).bind("o", i.stdout()).bind("e", i.stderr()).add();
        }
        b.execute();
    }

    /** Returns the ids of instances whose row no longer had a status this change may leave. */
    public java.util.Set<Long> submitted(Handle h, Collection<Submitted> rows) {
        if (rows.isEmpty()) {
            return java.util.Set.of();
        }
        PreparedBatch b = h.prepareBatch("UPDATE task_instance SET status = 'B', executor_id = :x, submitted_date = CURRENT_TIMESTAMP(6), "
                + "status_date = CURRENT_TIMESTAMP(6) WHERE id = :id AND status = 'I'");
        rows.forEach(r -> b.bind("x", r.executorId()).bind("id", r.id()).add());
        return Batches.unmatched(b.execute(), rows, Submitted::id);
    }

    /** Returns the ids of instances whose row no longer had a status this change may leave. */
    public java.util.Set<Long> started(Handle h, Collection<Started> rows) {
        if (rows.isEmpty()) {
            return java.util.Set.of();
        }
        PreparedBatch b = h.prepareBatch("UPDATE task_instance SET status = 'R', nodename = :n, process_group_id = :p, "
                + "start_date = CURRENT_TIMESTAMP(6), status_date = CURRENT_TIMESTAMP(6) WHERE id = :id AND status IN ('I', 'B', 'T')");
        rows.forEach(r -> b.bind("n", r.nodename()).bind("p", r.processGroupId()).bind("id", r.id()).add());
        return Batches.unmatched(b.execute(), rows, Started::id);
    }

    /** Returns the ids of instances whose row no longer had a status this change may leave. */
    public java.util.Set<Long> ended(Handle h, Collection<Ended> rows) {
        if (rows.isEmpty()) {
            return java.util.Set.of();
        }
        PreparedBatch b = h.prepareBatch("UPDATE task_instance SET status = :s, exit_code = :x, wallclock_s = :w, maxrss_bytes = :m, "
                + "nodename = COALESCE(:n, nodename), end_date = CURRENT_TIMESTAMP(6), status_date = CURRENT_TIMESTAMP(6) "
                + "WHERE id = :id AND status NOT IN ('D', 'E', 'U', 'W', 'Z', 'F', 'X')");
        rows.forEach(r -> b.bind("s", String.valueOf(r.status())).bind("x", r.exitCode()).bind("w", r.wallclockSeconds())
                .bind("m", r.maxRssBytes()).bind("n", r.nodename()).bind("id", r.id()).add());
        return Batches.unmatched(b.execute(), rows, Ended::id);
    }

    /**
     * Instances of this workflow's runs that someone ordered to kill themselves (status K): the
     * current run's and those it adopted from an earlier run.
     */
    public java.util.List<Long> killOrdered(Handle h, long workflowId) {
        return h.createQuery("SELECT i.id FROM task_instance i JOIN workflow_run r ON r.id = i.workflow_run_id "
                + "WHERE r.workflow_id = :w AND i.status = 'K'").bind("w", workflowId).mapTo(Long.class).list();
    }

    /** Marks live instances as reporting: each is due again {@code expiry} from now (database UTC time). */
    public void renewReportBy(Handle h, Collection<Long> ids, java.time.Duration expiry) {
        if (ids.isEmpty()) {
            return;
        }
        java.util.List<Long> all = java.util.List.copyOf(ids);
        for (int i = 0; i < all.size(); i += 500) {
            h.createUpdate("UPDATE task_instance SET report_by_date = TIMESTAMPADD(MICROSECOND, :us, <utc_now>) WHERE id IN (<ids>)")
                    .bind("us", expiry.toNanos() / 1000).bindList("ids", all.subList(i, Math.min(all.size(), i + 500))).execute();
        }
    }

    /** Instances that stopped reporting and are being asked about (status T). */
    public java.util.Set<Long> triaging(Handle h, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        PreparedBatch b = h.prepareBatch("UPDATE task_instance SET status = 'T', status_date = CURRENT_TIMESTAMP(6) "
                + "WHERE id = :id AND status IN ('B', 'R')");
        ids.forEach(id -> b.bind("id", id).add());
        return Batches.unmatched(b.execute(), ids, Long::longValue);
    }

    public void errors(Handle h, Collection<ErrorLog> logs) {
        if (logs.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO task_instance_error_log (task_instance_id, description) VALUES (:i, :d)");
        logs.forEach(l -> b.bind("i", l.taskInstanceId()).bind("d", l.description()).add());
        b.execute();
    }

    public void audit(Handle h, Collection<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO task_instance_status_audit (task_instance_id, previous_status, new_status) "
                + "VALUES (:i, :p, :n)");
        for (StatusChange c : changes) {
            b.bind("i", c.taskInstanceId()).bind("p", c.previous() == 0 ? null : String.valueOf(c.previous()))
                    .bind("n", String.valueOf(c.next())).add();
        }
        b.execute();
    }
}
