package org.jobmon.persistence.dao;

import java.time.Duration;
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

    /**
     * A run of a workflow, judged by the database's UTC time: how long ago it last heartbeat, and
     * whether its lease (report-by date, renewed by its controller every cycle) has expired.
     */
    public record RunRow(long id, long workflowId, char status, String user, String hostname, long pid,
            Duration sinceHeartbeat, boolean expired, Duration untilExpiry) {
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

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Records the executor the workflow runs on and its settings (stored as JSON). */
    public void setExecutor(Handle h, long workflowId, String executorClass, Map<String, String> settings) {
        String json;
        try {
            json = JSON.writeValueAsString(settings);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode executor settings " + settings, e);
        }
        h.createUpdate("UPDATE workflow SET executor_class = :c, executor_settings = :s WHERE id = :id")
                .bind("c", executorClass).bind("s", json).bind("id", workflowId).execute();
    }

    /** Executor settings as {@link #setExecutor} stored them. */
    public static Map<String, String> executorSettings(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("executor settings in the database are not JSON: " + json, e);
        }
    }

    /** A stored workflow as {@code jobmon workflow_resume} needs it. */
    public record StoredWorkflow(long id, String name, String description, String workflowArgs, String toolName,
            long toolVersionId, long dagId, char status, int maxConcurrentlyRunning, String executorClass, String executorSettings) {
    }

    public Optional<StoredWorkflow> stored(Handle h, long workflowId) {
        return h.createQuery("SELECT w.id, w.name, w.description, w.workflow_args, t.name, w.tool_version_id, w.dag_id, w.status, "
                + "w.max_concurrently_running, w.executor_class, w.executor_settings FROM workflow w "
                + "JOIN tool_version tv ON tv.id = w.tool_version_id JOIN tool t ON t.id = tv.tool_id WHERE w.id = :id")
                .bind("id", workflowId)
                .map((rs, ctx) -> new StoredWorkflow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6), rs.getLong(7), rs.getString(8).charAt(0), rs.getInt(9), rs.getString(10), rs.getString(11)))
                .findOne();
    }

    /**
     * Sets a live run's status (COLD_RESUME, HOT_RESUME) only if it still has one of {@code from}; the
     * run's own controller reads it at its next heartbeat. Returns whether it changed.
     */
    public boolean signalRun(Handle h, long runId, char to, String from) {
        return h.createUpdate("UPDATE workflow_run SET status = :to, status_date = CURRENT_TIMESTAMP(6) WHERE id = :id AND status IN (<from>)")
                .bind("to", String.valueOf(to)).bind("id", runId)
                .bindList("from", from.chars().mapToObj(c -> String.valueOf((char) c)).toList()).execute() > 0;
    }

    public char runStatus(Handle h, long runId) {
        return h.createQuery("SELECT status FROM workflow_run WHERE id = :id").bind("id", runId).mapTo(String.class).one().charAt(0);
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

    public void setRunWorkDir(Handle h, long runId, String workDir) {
        h.createUpdate("UPDATE workflow_run SET work_dir = :d WHERE id = :id").bind("d", workDir).bind("id", runId).execute();
    }

    public void setRunStatus(Handle h, long runId, char status) {
        h.createUpdate("UPDATE workflow_run SET status = :s, status_date = CURRENT_TIMESTAMP(6) WHERE id = :id")
                .bind("s", String.valueOf(status)).bind("id", runId).execute();
    }

    /** Runs of a workflow in these statuses, newest first. */
    public List<RunRow> runs(Handle h, long workflowId, String statuses) {
        return runsWhere(h, "r.workflow_id = :w AND r.status IN (<s>)", statuses, workflowId, false);
    }

    /** Like {@link #runs} but locks the rows (in a transaction), so their statuses cannot change until it ends. */
    public List<RunRow> runsForUpdate(Handle h, long workflowId, String statuses) {
        return runsWhere(h, "r.workflow_id = :w AND r.status IN (<s>)", statuses, workflowId, true);
    }

    /** One run as {@link #runs} reads it. */
    public Optional<RunRow> run(Handle h, long runId) {
        return h.createQuery(RUN_SELECT + "WHERE r.id = :id").bind("id", runId).map(WorkflowDao::runRow).findOne();
    }

    // "r.user": on H2 a bare "user" is the USER() function even with NON_KEYWORDS=USER.
    // Ages are computed by the database from its UTC clock, never by this machine's.
    private static final String RUN_SELECT = "SELECT r.id, r.workflow_id, r.status, r.user, r.hostname, r.pid, "
            + "TIMESTAMPDIFF(MICROSECOND, r.heartbeat_date, <utc_now>), "
            + "CASE WHEN r.report_by_date IS NULL OR r.report_by_date <= <utc_now> THEN 1 ELSE 0 END, "
            + "COALESCE(TIMESTAMPDIFF(MICROSECOND, <utc_now>, r.report_by_date), 0) FROM workflow_run r ";

    private List<RunRow> runsWhere(Handle h, String where, String statuses, long workflowId, boolean forUpdate) {
        return h.createQuery(RUN_SELECT + "WHERE " + where + " ORDER BY r.id DESC" + (forUpdate ? " FOR UPDATE" : ""))
                .bind("w", workflowId)
                .bindList("s", statuses.chars().mapToObj(c -> String.valueOf((char) c)).toList())
                .map(WorkflowDao::runRow).list();
    }

    private static RunRow runRow(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        return new RunRow(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0), rs.getString(4), rs.getString(5), rs.getLong(6),
                Duration.ofNanos(rs.getLong(7) * 1000), rs.getInt(8) == 1, Duration.ofNanos(Math.max(0, rs.getLong(9)) * 1000));
    }

    /**
     * Creates a run holding a lease of {@code expiry} on the workflow (REGISTERED; the caller holds
     * the workflow's row lock, see {@link #lockWorkflow}).
     */
    public long insertRun(Handle h, long workflowId, String user, String hostname, long pid, String version, char status,
            Duration heartbeat, Duration expiry) {
        return Keys.insert(h.createUpdate("INSERT INTO workflow_run (workflow_id, user, hostname, pid, jobmon_version, status, "
                + "heartbeat_date, report_by_date, heartbeat_interval_ms) VALUES (:w, :u, :host, :pid, :v, :s, <utc_now>, "
                + "TIMESTAMPADD(MICROSECOND, :us, <utc_now>), :hb)").bind("w", workflowId).bind("u", user).bind("host", hostname)
                .bind("pid", pid).bind("v", version).bind("s", String.valueOf(status)).bind("us", expiry.toNanos() / 1000)
                .bind("hb", heartbeat.toMillis()));
    }

    /** Locks the workflow's row until the transaction ends: claims of a workflow go one at a time. */
    public boolean lockWorkflow(Handle h, long workflowId) {
        return h.createQuery("SELECT id FROM workflow WHERE id = :w FOR UPDATE").bind("w", workflowId).mapTo(Long.class)
                .findOne().isPresent();
    }

    /**
     * Renews a run's lease if it still has one of {@code statuses}; returns whether it did. A run
     * that waits before its loop starts (for a hand-over) renews it this way.
     */
    public boolean renewLease(Handle h, long runId, String statuses, Duration expiry) {
        return h.createUpdate("UPDATE workflow_run SET heartbeat_date = <utc_now>, report_by_date = "
                + "TIMESTAMPADD(MICROSECOND, :us, <utc_now>) WHERE id = :id AND status IN (<s>)")
                .bind("us", expiry.toNanos() / 1000).bind("id", runId)
                .bindList("s", statuses.chars().mapToObj(c -> String.valueOf((char) c)).toList()).execute() > 0;
    }

    /**
     * Marks a run ERROR if it has one of {@code statuses} and its lease has expired (or, with
     * {@code controllerGone}, whatever its lease says: its controller is known to be gone). The
     * expiry is checked again here, under the row's lock, so a run that renewed its lease since it
     * was read is never settled. Returns whether it changed.
     */
    public boolean markDead(Handle h, long runId, String statuses, boolean controllerGone) {
        return h.createUpdate("UPDATE workflow_run SET status = 'E', status_date = CURRENT_TIMESTAMP(6) WHERE id = :id "
                + "AND status IN (<s>) AND (:gone OR report_by_date IS NULL OR report_by_date <= <utc_now>)")
                .bind("id", runId).bind("gone", controllerGone)
                .bindList("s", statuses.chars().mapToObj(c -> String.valueOf((char) c)).toList()).execute() > 0;
    }
}
