package org.jobmon.persistence.dao;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jobmon.api.Statuses.TaskStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Tasks, their args, attributes, executor parameter sets and status history. */
public final class TaskDao {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A task to insert, with pre-allocated ids for it and its ORIGINAL parameter set (0 for none);
     * {@code templateVersionId} is its node's template version.
     */
    public record NewTask(long id, long nodeId, long templateVersionId, String taskArgsHash, String name, String command, int maxAttempts,
            long parameterSetId, Map<Long, String> taskArgs, Map<Long, String> attributes) {
    }

    /** A parameter set row; never updated once written. */
    public record ParameterSet(long id, long taskId, char type, String executorClass, String queue, int numCores,
            long memoryMib, long maxRuntimeSeconds, Map<String, String> contextArgs, Map<String, Object> resourceScales,
            boolean hardLimits) {
    }

    /** A task row as the engine needs it on resume. */
    public record TaskRow(long id, long nodeId, String taskArgsHash, String name, String command, char status,
            int numAttempts, int maxAttempts, Long parameterSetId) {
        /** The same task with what a run changes. */
        public TaskRow withProgress(char newStatus, int attempts, Long setId) {
            return new TaskRow(id, nodeId, taskArgsHash, name, command, newStatus, attempts, maxAttempts, setId);
        }
    }

    /** What a run changes in a task row. */
    public record Progress(char status, int numAttempts, Long parameterSetId) {
    }

    /** One status change of a task. */
    public record StatusChange(long taskId, char previous, char next) {
    }

    /** The task row's new state after a cycle, written only while the row still has {@code expected}. */
    public record TaskUpdate(long taskId, char expected, char status, int numAttempts) {
    }

    public void insertTasks(Handle h, long workflowId, List<NewTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Batches.Rows tb = new Batches.Rows(h, "INSERT INTO task (id, workflow_id, node_id, task_template_version_id, task_args_hash, name, "
                + "command, executor_parameter_set_id, num_attempts, max_attempts, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'G')");
        Batches.Rows ab = new Batches.Rows(h, "INSERT INTO task_arg (task_id, arg_id, val) VALUES (?, ?, ?)");
        Batches.Rows attr = new Batches.Rows(h, "INSERT INTO task_attribute (task_id, task_attribute_type_id, val) VALUES (?, ?, ?)");
        // every task before any of its args and attributes: a chunk of them must not run ahead of its tasks
        for (NewTask t : tasks) {
            tb.add(t.id(), workflowId, t.nodeId(), t.templateVersionId(), t.taskArgsHash(), t.name(), t.command(),
                    t.parameterSetId() == 0 ? null : t.parameterSetId(), t.maxAttempts());
        }
        tb.finish();
        for (NewTask t : tasks) {
            for (Map.Entry<Long, String> a : t.taskArgs().entrySet()) {
                ab.add(t.id(), a.getKey(), a.getValue());
            }
            for (Map.Entry<Long, String> a : t.attributes().entrySet()) {
                attr.add(t.id(), a.getKey(), a.getValue());
            }
        }
        ab.finish();
        attr.finish();
    }

    public void insertParameterSets(Handle h, Collection<ParameterSet> sets) {
        if (sets.isEmpty()) {
            return;
        }
        Batches.Rows b = new Batches.Rows(h, "INSERT INTO executor_parameter_set (id, task_id, parameter_set_type, executor_class, "
                + "queue, num_cores, m_mem_free_mib, max_runtime_seconds, context_args, resource_scales, hard_limits) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (ParameterSet p : sets) {
            b.add(p.id(), p.taskId(), String.valueOf(p.type()), p.executorClass(), p.queue(), p.numCores(), p.memoryMib(),
                    p.maxRuntimeSeconds(), json(p.contextArgs()), json(p.resourceScales()), p.hardLimits());
        }
        b.finish();
    }

    /** Points tasks at the parameter set they now use. */
    public void useParameterSets(Handle h, Map<Long, Long> setByTask) {
        if (setByTask.isEmpty()) {
            return;
        }
        Batches.Chunked b = new Batches.Chunked(h, "UPDATE task SET executor_parameter_set_id = :eps WHERE id = :id");
        setByTask.forEach((t, s) -> b.add(r -> r.bind("eps", s).bind("id", t)));
        b.finish();
    }

    /**
     * Writes each update whose row still has its expected status; returns the ids of tasks whose row
     * had changed under us (someone else's write won: nothing was written for them).
     */
    public java.util.Set<Long> updateTasks(Handle h, Collection<TaskUpdate> updates) {
        if (updates.isEmpty()) {
            return java.util.Set.of();
        }
        Batches.Chunked b = new Batches.Chunked(h, "UPDATE task SET status = :s, num_attempts = :a, status_date = CURRENT_TIMESTAMP(6) "
                + "WHERE id = :id AND status = :e");
        for (TaskUpdate u : updates) {
            b.add(r -> r.bind("s", String.valueOf(u.status())).bind("a", u.numAttempts()).bind("id", u.taskId())
                    .bind("e", String.valueOf(u.expected())));
        }
        return Batches.unmatched(b.finish(), updates, TaskUpdate::taskId);
    }

    public void updateCommands(Handle h, Map<Long, String> commandByTask) {
        if (commandByTask.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("UPDATE task SET command = :c WHERE id = :id");
        commandByTask.forEach((t, c) -> b.bind("c", c).bind("id", t).add());
        b.execute();
    }

    public void audit(Handle h, Long workflowRunId, Collection<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Batches.Chunked b = new Batches.Chunked(h, "INSERT INTO task_status_audit (task_id, workflow_run_id, previous_status, new_status) "
                + "VALUES (:t, :r, :p, :n)");
        for (StatusChange c : changes) {
            b.add(r -> r.bind("t", c.taskId()).bind("r", workflowRunId).bind("p", c.previous() == 0 ? null : String.valueOf(c.previous()))
                    .bind("n", String.valueOf(c.next())));
        }
        b.finish();
    }

    /**
     * A workflow's tasks with their nodes, by template version and then node args hash: all that a
     * resume matches a workflow's tasks against, in one read.
     */
    public record StoredTasks(List<TaskRow> rows, Map<Long, Map<String, Long>> nodes) {
    }

    public StoredTasks tasksWithNodes(Handle h, long workflowId) {
        List<TaskRow> rows = new ArrayList<>();
        Map<Long, Map<String, Long>> nodes = new java.util.HashMap<>();
        h.createQuery("SELECT t.id, t.node_id, t.task_args_hash, t.name, t.command, t.status, t.num_attempts, t.max_attempts, "
                + "t.executor_parameter_set_id, n.task_template_version_id, n.node_args_hash FROM task t JOIN node n ON n.id = t.node_id "
                + "WHERE t.workflow_id = :w").bind("w", workflowId)
                .map((rs, ctx) -> {
                    TaskRow r = new TaskRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6).charAt(0), rs.getInt(7), rs.getInt(8), (Long) rs.getObject(9, Long.class));
                    rows.add(r);
                    nodes.computeIfAbsent(rs.getLong(10), k -> new java.util.HashMap<>()).put(rs.getString(11), r.nodeId());
                    return 0;
                }).forEach(x -> { });
        return new StoredTasks(rows, nodes);
    }

    /**
     * The progress of each task of the workflow that is not DONE, by task id: one index range per
     * status, so a resume of a mostly DONE workflow reads only what is left.
     */
    public Map<Long, Progress> unfinished(Handle h, long workflowId) {
        Map<Long, Progress> out = new java.util.HashMap<>();
        String notDone = java.util.Arrays.stream(TaskStatus.values()).filter(s -> s != TaskStatus.DONE)
                .map(s -> "'" + s.code() + "'").collect(java.util.stream.Collectors.joining(", "));
        h.createQuery("SELECT id, status, num_attempts, executor_parameter_set_id FROM task WHERE workflow_id = :w AND status IN ("
                + notDone + ")").bind("w", workflowId)
                .map((rs, ctx) -> out.put(rs.getLong(1), new Progress(rs.getString(2).charAt(0), rs.getInt(3),
                        (Long) rs.getObject(4, Long.class)))).forEach(x -> { });
        return out;
    }

    public List<TaskRow> tasksOf(Handle h, long workflowId) {
        return new ArrayList<>(h.createQuery("SELECT id, node_id, task_args_hash, name, command, status, num_attempts, max_attempts, "
                + "executor_parameter_set_id FROM task WHERE workflow_id = :w").bind("w", workflowId)
                .map((rs, ctx) -> new TaskRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6).charAt(0), rs.getInt(7), rs.getInt(8), (Long) rs.getObject(9, Long.class))).list());
    }

    /** Each task's parameter set in use, by task id (tasks without one are absent). */
    public Map<Long, ParameterSet> parameterSetsInUse(Handle h, long workflowId) {
        Map<Long, ParameterSet> sets = new java.util.HashMap<>();
        h.createQuery("SELECT p.id, p.task_id, p.parameter_set_type, p.executor_class, p.queue, p.num_cores, p.m_mem_free_mib, "
                + "p.max_runtime_seconds, p.context_args, p.resource_scales, p.hard_limits FROM executor_parameter_set p "
                + "JOIN task t ON t.executor_parameter_set_id = p.id WHERE t.workflow_id = :w").bind("w", workflowId)
                .map((rs, ctx) -> new ParameterSet(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8), map(rs.getString(9)), map(rs.getString(10)),
                        rs.getBoolean(11)))
                .forEach(p -> sets.put(p.taskId(), p));
        return sets;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parameter set in the database is not JSON: " + json, e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value, e);
        }
    }
}
