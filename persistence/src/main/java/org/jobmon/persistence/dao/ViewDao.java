package org.jobmon.persistence.dao;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jdbi.v3.core.Handle;

/**
 * What the views of a workflow read (the report, the web page): the workflow, its runs, its tasks
 * counted by template and status, the edges between templates, and its errors. Each is one query
 * that aggregates in the database or returns one row per template, run or error, never per task.
 */
public final class ViewDao {
    public record WorkflowRow(long id, String name, String workflowArgs, char status, LocalDateTime created, LocalDateTime statusDate,
            int maxConcurrentlyRunning, long dagId) {
    }

    public record RunRow(long id, char status, String user, String hostname, LocalDateTime created, LocalDateTime statusDate) {
    }

    /** How many of a template version's tasks in the workflow have one status. */
    public record TemplateCount(long templateVersionId, String template, char status, long count) {
    }

    /** One error logged for an attempt, with its task. */
    public record ErrorRow(String description, long taskId, String taskName, long taskInstanceId) {
    }

    /**
     * The newest {@code limit} workflows (highest id first), of a user's runs when {@code user} is
     * given, with {@code nameLike} in their name when given, in status {@code status} when given.
     */
    public List<Long> recentWorkflowIds(Handle h, Optional<String> user, Optional<String> nameLike, Optional<Character> status, int limit) {
        StringBuilder sql = new StringBuilder("SELECT w.id FROM workflow w WHERE 1 = 1");
        user.ifPresent(u -> sql.append(" AND EXISTS (SELECT 1 FROM workflow_run r WHERE r.workflow_id = w.id AND r.user = :u)"));
        nameLike.ifPresent(n -> sql.append(" AND LOWER(w.name) LIKE :n"));
        status.ifPresent(s -> sql.append(" AND w.status = :s"));
        sql.append(" ORDER BY w.id DESC LIMIT ").append(limit);
        var q = h.createQuery(sql.toString());
        user.ifPresent(u -> q.bind("u", u));
        nameLike.ifPresent(n -> q.bind("n", "%" + n.toLowerCase(java.util.Locale.ROOT).replace("%", "\\%").replace("_", "\\_") + "%"));
        status.ifPresent(s -> q.bind("s", String.valueOf(s)));
        return q.mapTo(Long.class).list();
    }

    public Optional<WorkflowRow> workflow(Handle h, long id) {
        return h.createQuery("SELECT id, name, workflow_args, status, created_date, status_date, max_concurrently_running, dag_id "
                + "FROM workflow WHERE id = :w").bind("w", id)
                .map((rs, ctx) -> new WorkflowRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4).charAt(0),
                        rs.getObject(5, LocalDateTime.class), rs.getObject(6, LocalDateTime.class), rs.getInt(7), rs.getLong(8)))
                .findOne();
    }

    public List<RunRow> runs(Handle h, long workflowId) {
        // r.user: H2 reads a bare "user" as its USER function
        return h.createQuery("SELECT r.id, r.status, r.user, r.hostname, r.created_date, r.status_date FROM workflow_run r "
                + "WHERE r.workflow_id = :w ORDER BY r.id").bind("w", workflowId)
                .map((rs, ctx) -> new RunRow(rs.getLong(1), rs.getString(2).charAt(0), rs.getString(3), rs.getString(4),
                        rs.getObject(5, LocalDateTime.class), rs.getObject(6, LocalDateTime.class)))
                .list();
    }

    public List<TemplateCount> templateCounts(Handle h, long workflowId) {
        // counted over the task rows' own template version (in the index of status counts: index-only)
        Map<Long, Map<Character, Long>> counts = new TreeMap<>();
        boolean withoutCopy = false;
        for (Object[] r : h.createQuery("SELECT t.task_template_version_id, t.status, COUNT(*) FROM task t WHERE t.workflow_id = :w "
                + "GROUP BY t.task_template_version_id, t.status").bind("w", workflowId)
                .map((rs, ctx) -> new Object[] {rs.getObject(1, Long.class), rs.getString(2).charAt(0), rs.getLong(3)}).list()) {
            if (r[0] == null) {
                withoutCopy = true;
            } else {
                counts.computeIfAbsent((Long) r[0], k -> new TreeMap<>()).merge((Character) r[1], (Long) r[2], Long::sum);
            }
        }
        if (withoutCopy) {
            // tasks an earlier Jobmon wrote have no copy of their node's version: counted through their node
            h.createQuery("SELECT n.task_template_version_id, t.status, COUNT(*) FROM task t JOIN node n ON n.id = t.node_id "
                    + "WHERE t.workflow_id = :w AND t.task_template_version_id IS NULL GROUP BY n.task_template_version_id, t.status")
                    .bind("w", workflowId).map((rs, ctx) -> counts.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .merge(rs.getString(2).charAt(0), rs.getLong(3), Long::sum))
                    .list();
        }
        if (counts.isEmpty()) {
            return List.of();
        }
        Map<Long, String> names = new java.util.HashMap<>();
        h.createQuery("SELECT v.id, tt.name FROM task_template_version v JOIN task_template tt ON tt.id = v.task_template_id "
                + "WHERE v.id IN (<v>)").bindList("v", new ArrayList<>(counts.keySet()))
                .map((rs, ctx) -> names.put(rs.getLong(1), rs.getString(2))).list();
        List<TemplateCount> out = new ArrayList<>();
        counts.forEach((v, byStatus) -> byStatus.forEach((status, c) -> out.add(new TemplateCount(v, names.getOrDefault(v, "?"), status, c))));
        return out;
    }

    /**
     * Each pair {upstream template version, downstream template version} that some edge of the DAG
     * joins: as stored with the DAG, or, for a DAG an earlier Jobmon wrote without them, from its edges.
     */
    public List<long[]> templateEdges(Handle h, long dagId) {
        List<long[]> stored = h.createQuery("SELECT upstream_version_id, downstream_version_id FROM dag_template_edge WHERE dag_id = :d")
                .bind("d", dagId).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        if (!stored.isEmpty() || h.createQuery("SELECT id FROM edge WHERE dag_id = :d LIMIT 1").bind("d", dagId).mapTo(Long.class)
                .findOne().isEmpty()) {
            return stored;
        }
        return h.createQuery("SELECT DISTINCT u.task_template_version_id, d.task_template_version_id FROM edge e "
                + "JOIN node u ON u.id = e.upstream_node_id JOIN node d ON d.id = e.downstream_node_id WHERE e.dag_id = :d").bind("d", dagId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
    }

    /** One attempt that started: its template, when it ran (end null while it runs), and its status. */
    public record AttemptSpan(long id, String template, LocalDateTime start, LocalDateTime end, char status) {
    }

    /**
     * How many attempts the workflow has, counting no further than {@code atMost} (every attempt
     * belongs to one of its runs: counted in the index of runs alone, and only as far as asked).
     */
    public long attemptCount(Handle h, long workflowId, long atMost) {
        return h.createQuery("SELECT COUNT(*) FROM (SELECT 1 AS one FROM task_instance i WHERE i.workflow_run_id IN "
                + "(SELECT r.id FROM workflow_run r WHERE r.workflow_id = :w) LIMIT " + atMost + ") x")
                .bind("w", workflowId).mapTo(Long.class).one();
    }

    /** The attempts that started, by template and start time (at most {@code limit}). */
    public List<AttemptSpan> attemptSpans(Handle h, long workflowId, int limit) {
        return h.createQuery("SELECT i.id, tt.name, i.start_date, i.end_date, i.status FROM task_instance i JOIN task t ON t.id = i.task_id "
                + "JOIN node n ON n.id = t.node_id JOIN task_template_version v ON v.id = n.task_template_version_id "
                + "JOIN task_template tt ON tt.id = v.task_template_id WHERE t.workflow_id = :w AND i.start_date IS NOT NULL "
                + "ORDER BY tt.name, i.start_date, i.id LIMIT " + limit).bind("w", workflowId)
                .map((rs, ctx) -> new AttemptSpan(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDateTime.class),
                        rs.getObject(4, LocalDateTime.class), rs.getString(5).charAt(0)))
                .list();
    }

    /** The newest {@code limit} errors logged for the workflow's attempts, newest first. */
    public List<ErrorRow> errors(Handle h, long workflowId, int limit) {
        return h.createQuery("SELECT e.description, t.id, t.name, i.id FROM task_instance_error_log e "
                + "JOIN task_instance i ON i.id = e.task_instance_id JOIN task t ON t.id = i.task_id WHERE t.workflow_id = :w "
                + "ORDER BY e.id DESC LIMIT " + limit).bind("w", workflowId)
                .map((rs, ctx) -> new ErrorRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)))
                .list();
    }
}
