package org.jobmon.persistence.dao;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The read side of the status commands ({@code jobmon workflow_status}, {@code workflow_tasks},
 * {@code task_status}): plain SELECTs that never lock, so they run beside a live workflow run.
 * Every query reads through an index: task (workflow_id, status, num_attempts) for the counts,
 * task_instance (task_id), task_instance_error_log (task_instance_id), workflow_run (user).
 */
public final class StatusDao {
    /** Ids per IN list; long lists are read in chunks of this size. */
    static final int CHUNK = 1000;

    /** A workflow's own columns. */
    public record WorkflowRow(long id, String name, char status, LocalDateTime created) {
    }

    /** How many tasks of a workflow are in one status, and their retries: sum of max(0, num_attempts - 1). */
    public record StatusCount(long workflowId, char status, long tasks, long retries) {
    }

    /** A task as {@code workflow_tasks} shows it. */
    public record TaskRow(long id, String name, char status, int numAttempts) {
    }

    /** One attempt of a task, with the newest error logged for it (null when none). */
    public record InstanceRow(long taskId, long id, String executorId, char status, Integer exitCode, String hostname,
            Double wallclockSeconds, Long maxRssBytes, String stdout, String stderr, String errorTrace) {
    }

    /** The workflows among {@code ids} that exist, by id. */
    public List<WorkflowRow> workflows(Handle h, Collection<Long> ids) {
        return chunked(ids, c -> h.createQuery("SELECT id, name, status, created_date FROM workflow WHERE id IN (<ids>)")
                .bindList("ids", c)
                .map((rs, ctx) -> new WorkflowRow(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0),
                        rs.getObject(4, LocalDateTime.class))).list());
    }

    /**
     * The newest {@code limit} workflows (highest id first) that one of {@code users} has a
     * workflow_run of; only among {@code within} when it is not empty.
     */
    public List<Long> workflowIdsOfUsers(Handle h, Collection<String> users, Collection<Long> within, int limit) {
        if (users.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT DISTINCT workflow_id FROM workflow_run WHERE user IN (<u>)");
        if (!within.isEmpty()) {
            sql.append(" AND workflow_id IN (<w>)");
        }
        sql.append(" ORDER BY workflow_id DESC LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bindList("u", new ArrayList<>(users)).bind("limit", limit);
        if (!within.isEmpty()) {
            q.bindList("w", new ArrayList<>(within));
        }
        return q.mapTo(Long.class).list();
    }

    /** Task counts and retries per workflow and status; statuses without tasks have no row. */
    public List<StatusCount> statusCounts(Handle h, Collection<Long> workflowIds) {
        return chunked(workflowIds, c -> h.createQuery("SELECT workflow_id, status, COUNT(*), "
                + "SUM(CASE WHEN num_attempts > 1 THEN num_attempts - 1 ELSE 0 END) FROM task "
                + "WHERE workflow_id IN (<w>) GROUP BY workflow_id, status").bindList("w", c)
                .map((rs, ctx) -> new StatusCount(rs.getLong(1), rs.getString(2).charAt(0), rs.getLong(3), rs.getLong(4)))
                .list());
    }

    /** A workflow's tasks in these statuses (all when empty), by id. */
    public List<TaskRow> tasks(Handle h, long workflowId, Collection<Character> statuses) {
        String sql = "SELECT id, name, status, num_attempts FROM task WHERE workflow_id = :w"
                + (statuses.isEmpty() ? "" : " AND status IN (<s>)") + " ORDER BY id";
        Query q = h.createQuery(sql).bind("w", workflowId);
        if (!statuses.isEmpty()) {
            q.bindList("s", codes(statuses));
        }
        return q.map((rs, ctx) -> new TaskRow(rs.getLong(1), rs.getString(2), rs.getString(3).charAt(0), rs.getInt(4))).list();
    }

    /** The workflow of each of these tasks that exists. */
    public Map<Long, Long> workflowOfTasks(Handle h, Collection<Long> taskIds) {
        Map<Long, Long> out = new LinkedHashMap<>();
        chunked(taskIds, c -> h.createQuery("SELECT id, workflow_id FROM task WHERE id IN (<t>)").bindList("t", c)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2))).list())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Every attempt of these tasks in these instance statuses (all when empty), by task then attempt. */
    public List<InstanceRow> instances(Handle h, Collection<Long> taskIds, Collection<Character> statuses) {
        String sql = "SELECT i.task_id, i.id, i.executor_id, i.status, i.exit_code, i.nodename, i.wallclock_s, i.maxrss_bytes, "
                + "i.stdout, i.stderr, (SELECT l.description FROM task_instance_error_log l WHERE l.task_instance_id = i.id "
                + "ORDER BY l.id DESC LIMIT 1) FROM task_instance i WHERE i.task_id IN (<t>)"
                + (statuses.isEmpty() ? "" : " AND i.status IN (<s>)");
        List<InstanceRow> rows = new ArrayList<>(chunked(taskIds, c -> {
            Query q = h.createQuery(sql).bindList("t", c);
            if (!statuses.isEmpty()) {
                q.bindList("s", codes(statuses));
            }
            return q.map((rs, ctx) -> new InstanceRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4).charAt(0),
                    rs.getObject(5, Integer.class), rs.getString(6), rs.getObject(7, Double.class), rs.getObject(8, Long.class),
                    rs.getString(9), rs.getString(10), rs.getString(11))).list();
        }));
        rows.sort((a, b) -> a.taskId() != b.taskId() ? Long.compare(a.taskId(), b.taskId()) : Long.compare(a.id(), b.id()));
        return rows;
    }

    private static List<String> codes(Collection<Character> statuses) {
        return statuses.stream().map(String::valueOf).distinct().toList();
    }

    /** Runs {@code query} once per chunk of at most {@link #CHUNK} ids and concatenates the results. */
    static <I, T> List<T> chunked(Collection<I> ids, Function<List<I>, List<T>> query) {
        List<I> all = new ArrayList<>(ids);
        if (all.isEmpty()) {
            return List.of();
        }
        if (all.size() <= CHUNK) {
            return query.apply(all);
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.addAll(query.apply(all.subList(i, Math.min(all.size(), i + CHUNK))));
        }
        return out;
    }
}
