package org.jobmon.persistence.dao;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The write side of the self-service commands ({@code jobmon concurrency_limit},
 * {@code update_task_status}). Updates are guarded by the value read before them (a row changed by
 * someone else in between is not overwritten) and are meant to run in the caller's transaction.
 */
public final class SelfServiceDao {
    /** The workflow columns the self-service commands need. */
    public record WorkflowRef(long id, long dagId, String name, char status, int maxConcurrentlyRunning) {
    }

    /** A task's identity and status. */
    public record TaskRef(long id, long workflowId, long nodeId, String name, char status) {
    }

    /** A task's new status, applied only while it still has {@code previous}. */
    public record StatusUpdate(long taskId, char previous, char next) {
    }

    public Optional<WorkflowRef> workflow(Handle h, long workflowId) {
        return findWorkflow(h, workflowId, "");
    }

    /**
     * The workflow row, locked until the transaction ends: a run starting meanwhile (it sets the
     * workflow's status) waits for this transaction.
     */
    public Optional<WorkflowRef> lockWorkflow(Handle h, long workflowId) {
        return findWorkflow(h, workflowId, " FOR UPDATE");
    }

    private static Optional<WorkflowRef> findWorkflow(Handle h, long workflowId, String suffix) {
        return h.createQuery("SELECT id, dag_id, name, status, max_concurrently_running FROM workflow WHERE id = :w" + suffix)
                .bind("w", workflowId)
                .map((rs, ctx) -> new WorkflowRef(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4).charAt(0),
                        rs.getInt(5))).findOne();
    }

    /** Sets the workflow's concurrency limit if it is still {@code previous}; false when it changed meanwhile. */
    public boolean setConcurrencyLimit(Handle h, long workflowId, int previous, int limit) {
        return h.createUpdate("UPDATE workflow SET max_concurrently_running = :n WHERE id = :w AND max_concurrently_running = :p")
                .bind("n", limit).bind("w", workflowId).bind("p", previous).execute() == 1;
    }

    /** Whether {@code user} has at least one workflow_run of the workflow. */
    public boolean hasRunBy(Handle h, long workflowId, String user) {
        return h.createQuery("SELECT COUNT(*) FROM workflow_run r WHERE r.workflow_id = :w AND r.user = :u")
                .bind("w", workflowId).bind("u", user).mapTo(Long.class).one() > 0;
    }

    /**
     * The workflow's runs in one of {@code statuses} (codes, e.g. "GBRCH"), newest first, with the
     * age of their heartbeat by database time. ("r.user": a bare "user" is H2's USER function.)
     */
    /** Runs of a workflow in these statuses, newest first, each judged by its own lease. */
    public List<WorkflowDao.RunRow> runs(Handle h, long workflowId, String statuses) {
        return new WorkflowDao().runs(h, workflowId, statuses);
    }

    /** The users who have runs of the workflow, for messages. */
    public List<String> runUsers(Handle h, long workflowId) {
        return h.createQuery("SELECT DISTINCT r.user FROM workflow_run r WHERE r.workflow_id = :w ORDER BY r.user")
                .bind("w", workflowId).mapTo(String.class).list();
    }

    /** These tasks, those that exist. */
    public List<TaskRef> tasks(Handle h, Collection<Long> taskIds) {
        return StatusDao.chunked(taskIds, c -> h.createQuery("SELECT id, workflow_id, node_id, name, status FROM task WHERE id IN (<t>)")
                .define("t", StatusDao.idList(c)).map((rs, ctx) -> new TaskRef(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5).charAt(0))).list());
    }

    /** The workflow's tasks for these nodes (through the unique index on task (workflow_id, node_id)). */
    public List<TaskRef> tasksOfNodes(Handle h, long workflowId, Collection<Long> nodeIds) {
        return StatusDao.chunked(nodeIds, c -> h.createQuery("SELECT id, workflow_id, node_id, name, status FROM task "
                + "WHERE workflow_id = :w AND node_id IN (<n>)").bind("w", workflowId).define("n", StatusDao.idList(c))
                .map((rs, ctx) -> new TaskRef(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5).charAt(0))).list());
    }

    /**
     * Applies the updates, each only while the task still has its previous status; returns the
     * ids of tasks whose status had changed meanwhile (not updated). The caller rolls back when
     * that is not empty.
     */
    public List<Long> setStatuses(Handle h, long workflowId, List<StatusUpdate> updates) {
        if (updates.isEmpty()) {
            return List.of();
        }
        PreparedBatch b = h.prepareBatch("UPDATE task SET status = :n, status_date = CURRENT_TIMESTAMP(6) "
                + "WHERE id = :id AND workflow_id = :w AND status = :p");
        for (StatusUpdate u : updates) {
            b.bind("n", String.valueOf(u.next())).bind("id", u.taskId()).bind("w", workflowId)
                    .bind("p", String.valueOf(u.previous())).add();
        }
        int[] counts = b.execute();
        List<Long> changed = new ArrayList<>();
        if (Arrays.stream(counts).allMatch(c -> c >= 0)) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    changed.add(updates.get(i).taskId());
                }
            }
            return changed;
        }
        // a driver that answers a batch with SUCCESS_NO_INFO: read back what the tasks now have
        Map<Long, Character> now = new HashMap<>();
        tasks(h, updates.stream().map(StatusUpdate::taskId).toList()).forEach(t -> now.put(t.id(), t.status()));
        for (StatusUpdate u : updates) {
            if (!Character.valueOf(u.next()).equals(now.get(u.taskId()))) {
                changed.add(u.taskId());
            }
        }
        return changed;
    }

    /** Sets the workflow's status if it is still {@code previous}; false when it changed meanwhile. */
    public boolean setWorkflowStatus(Handle h, long workflowId, char previous, char next) {
        return h.createUpdate("UPDATE workflow SET status = :n, status_date = CURRENT_TIMESTAMP(6) WHERE id = :w AND status = :p")
                .bind("n", String.valueOf(next)).bind("w", workflowId).bind("p", String.valueOf(previous)).execute() == 1;
    }
}
