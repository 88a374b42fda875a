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
 * Every query reads through an index: task (workflow_id, status, num_attempts) for the counts (an
 * index-only scan; changeset 0009), task_instance (task_id), task_instance_error_log
 * (task_instance_id), workflow_run (user). A column named {@code user} is always qualified
 * ({@code r.user}): H2 reads a bare {@code user} as its USER function, even with NON_KEYWORDS=USER.
 */
public final class StatusDao {
    /** Ids per IN list; long lists are read in chunks of this size. */
    static final int CHUNK = 1000;

    /** A workflow's own columns. */
    public record WorkflowRow(long id, String name, char status, LocalDateTime created) {
    }

    /** How many tasks of a workflow are in one status with one number of attempts. */
    public record StatusCount(long workflowId, char status, int numAttempts, long tasks) {
        /** Their retries: max(0, num_attempts - 1) each. */
        public long retries() {
            return tasks * Math.max(0, numAttempts - 1);
        }
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
                .define("ids", idList(c))
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
        // "r.user", never a bare "user": H2 reads that as the USER function even with NON_KEYWORDS=USER
        StringBuilder sql = new StringBuilder("SELECT DISTINCT r.workflow_id FROM workflow_run r WHERE r.user IN (<u>)");
        if (!within.isEmpty()) {
            sql.append(" AND r.workflow_id IN (<w>)");
        }
        sql.append(" ORDER BY r.workflow_id DESC LIMIT :limit");
        Query q = h.createQuery(sql.toString()).bindList("u", new ArrayList<>(users)).bind("limit", limit);
        if (!within.isEmpty()) {
            q.define("w", idList(new ArrayList<>(within)));
        }
        return q.mapTo(Long.class).list();
    }

    /**
     * Task counts per workflow, status and number of attempts (combinations without tasks have no
     * row). Grouping by all three columns of the index task (workflow_id, status, num_attempts)
     * reads nothing but that index, in its order; the retries are summed from these rows.
     */
    public List<StatusCount> statusCounts(Handle h, Collection<Long> workflowIds) {
        return chunked(workflowIds, c -> h.createQuery("SELECT workflow_id, status, num_attempts, COUNT(*) FROM task "
                + "WHERE workflow_id IN (<w>) GROUP BY workflow_id, status, num_attempts").define("w", idList(c))
                .map((rs, ctx) -> new StatusCount(rs.getLong(1), rs.getString(2).charAt(0), rs.getInt(3), rs.getLong(4)))
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
        chunked(taskIds, c -> h.createQuery("SELECT id, workflow_id FROM task WHERE id IN (<t>)").define("t", idList(c))
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
            Query q = h.createQuery(sql).define("t", idList(c));
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

    /**
     * Ids written into the SQL ("1,2,3"): they are numbers, so this is safe, and H2 evaluates a
     * long IN list of literals many times faster than the same list of bound parameters (2.4 s
     * against 0.25 s for 1,000 workflow ids over 1,000,000 tasks).
     */
    static String idList(List<Long> ids) {
        StringBuilder b = new StringBuilder(ids.size() * 8);
        for (Long id : ids) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(id.longValue());
        }
        return b.toString();
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
