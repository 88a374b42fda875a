package org.jobmon.persistence.dao;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Workflows, their attributes and their runs. */
public final class WorkflowDao {
    /** A workflow row as binding needs it. */
    public record WorkflowRow(long id, long dagId, String taskHash, String name, char status, int maxConcurrentlyRunning) {
    }

    /** A run of a workflow, with how long ago it last heartbeat (database time). */
    public record RunRow(long id, long workflowId, char status, String user, String hostname, long pid,
            Duration sinceHeartbeat) {
    }

    public Optional<WorkflowRow> find(Handle h, long toolVersionId, String workflowArgsHash) {
        return h.createQuery("SELECT id, dag_id, task_hash, name, status, max_concurrently_running FROM workflow "
                + "WHERE tool_version_id = :tv AND workflow_args_hash = :a").bind("tv", toolVersionId).bind("a", workflowArgsHash)
                .map((rs, ctx) -> new WorkflowRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5).charAt(0), rs.getInt(6))).findOne();
    }

    public Optional<WorkflowRow> get(Handle h, long workflowId) {
        return h.createQuery("SELECT id, dag_id, task_hash, name, status, max_concurrently_running FROM workflow WHERE id = :id")
                .bind("id", workflowId)
                .map((rs, ctx) -> new WorkflowRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5).charAt(0), rs.getInt(6))).findOne();
    }

    public long insert(Handle h, long toolVersionId, long dagId, String workflowArgsHash, String taskHash, String name,
            String description, String workflowArgs, int maxConcurrentlyRunning) {
        return Keys.insert(h.createUpdate("INSERT INTO workflow (tool_version_id, dag_id, workflow_args_hash, task_hash, name, "
                + "description, workflow_args, max_concurrently_running, status) VALUES (:tv, :dag, :ah, :th, :name, :d, :args, :mcr, 'G')")
                .bind("tv", toolVersionId).bind("dag", dagId).bind("ah", workflowArgsHash).bind("th", taskHash)
                .bind("name", name).bind("d", description).bind("args", workflowArgs).bind("mcr", maxConcurrentlyRunning));
    }

    public void insertAttributes(Handle h, long workflowId, Map<Long, String> valuesByType) {
        if (valuesByType.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("INSERT INTO workflow_attribute (workflow_id, workflow_attribute_type_id, val) VALUES (:w, :t, :v)");
        valuesByType.forEach((t, v) -> b.bind("w", workflowId).bind("t", t).bind("v", v).add());
        b.execute();
    }

    public void setStatus(Handle h, long workflowId, char status) {
        h.createUpdate("UPDATE workflow SET status = :s, status_date = CURRENT_TIMESTAMP(6) WHERE id = :id")
                .bind("s", String.valueOf(status)).bind("id", workflowId).execute();
    }

    public void setMaxConcurrentlyRunning(Handle h, long workflowId, int limit) {
        h.createUpdate("UPDATE workflow SET max_concurrently_running = :n WHERE id = :id").bind("n", limit).bind("id", workflowId).execute();
    }

    public int maxConcurrentlyRunning(Handle h, long workflowId) {
        return h.createQuery("SELECT max_concurrently_running FROM workflow WHERE id = :id").bind("id", workflowId)
                .mapTo(Integer.class).one();
    }

    public long insertRun(Handle h, long workflowId, String user, String hostname, long pid, String version, char status) {
        return Keys.insert(h.createUpdate("INSERT INTO workflow_run (workflow_id, user, hostname, pid, jobmon_version, status) "
                + "VALUES (:w, :u, :host, :pid, :v, :s)").bind("w", workflowId).bind("u", user).bind("host", hostname)
                .bind("pid", pid).bind("v", version).bind("s", String.valueOf(status)));
    }

    public void setRunWorkDir(Handle h, long runId, String workDir) {
        h.createUpdate("UPDATE workflow_run SET work_dir = :d WHERE id = :id").bind("d", workDir).bind("id", runId).execute();
    }

    public void setRunStatus(Handle h, long runId, char status) {
        h.createUpdate("UPDATE workflow_run SET status = :s, status_date = CURRENT_TIMESTAMP(6) WHERE id = :id")
                .bind("s", String.valueOf(status)).bind("id", runId).execute();
    }

    /** Heartbeats the run and returns its status as it stands (another process may have changed it). */
    public char heartbeat(Handle h, long runId) {
        h.createUpdate("UPDATE workflow_run SET heartbeat_date = CURRENT_TIMESTAMP(6) WHERE id = :id").bind("id", runId).execute();
        return h.createQuery("SELECT status FROM workflow_run WHERE id = :id").bind("id", runId).mapTo(String.class).one().charAt(0);
    }

    /** Runs of a workflow in these statuses, newest first. */
    public List<RunRow> runs(Handle h, long workflowId, String statuses) {
        return h.createQuery("SELECT id, workflow_id, status, user, hostname, pid, heartbeat_date, CURRENT_TIMESTAMP(6) AS now "
                + "FROM workflow_run WHERE workflow_id = :w AND status IN (<s>) ORDER BY id DESC").bind("w", workflowId)
                .bindList("s", statuses.chars().mapToObj(c -> String.valueOf((char) c)).toList())
                .map((rs, ctx) -> new RunRow(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0), rs.getString(4),
                        rs.getString(5), rs.getLong(6), Duration.between(rs.getObject(7, LocalDateTime.class),
                                rs.getObject(8, LocalDateTime.class)))).list();
    }
}
