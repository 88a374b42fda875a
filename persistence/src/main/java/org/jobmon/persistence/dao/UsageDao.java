package org.jobmon.persistence.dao;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;

/** What the DONE attempts of a task template version used, against what they asked for. */
public final class UsageDao {
    /** A template version with its template's and tool's names. */
    public record TemplateVersion(long id, String template, String tool) {
    }

    /**
     * One DONE attempt: what it used (wallclock, peak RSS: either may be unknown to its executor)
     * and what it asked for (its parameter set; absent for attempts without one).
     */
    public record DoneAttempt(long taskInstanceId, long workflowId, Double wallclockSeconds, Long maxRssBytes, Long memoryMib,
            Long maxRuntimeSeconds, Integer numCores, String queue) {
    }

    public Optional<TemplateVersion> templateVersion(Handle h, long id) {
        return h.createQuery("SELECT v.id, tt.name, tl.name FROM task_template_version v JOIN task_template tt ON tt.id = v.task_template_id "
                + "JOIN tool_version tv ON tv.id = tt.tool_version_id JOIN tool tl ON tl.id = tv.tool_id WHERE v.id = :v").bind("v", id)
                .map((rs, ctx) -> new TemplateVersion(rs.getLong(1), rs.getString(2), rs.getString(3))).findOne();
    }

    /** Every version of the templates of this name, newest first (several tools may use one name). */
    public List<TemplateVersion> templateVersionsNamed(Handle h, String name) {
        return h.createQuery("SELECT v.id, tt.name, tl.name FROM task_template_version v JOIN task_template tt ON tt.id = v.task_template_id "
                + "JOIN tool_version tv ON tv.id = tt.tool_version_id JOIN tool tl ON tl.id = tv.tool_id WHERE tt.name = :n ORDER BY v.id DESC")
                .bind("n", name).map((rs, ctx) -> new TemplateVersion(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    }

    /** The DONE attempts of the version's tasks, in these workflows only when some are given. */
    public List<DoneAttempt> doneAttempts(Handle h, long templateVersionId, Collection<Long> workflowIds) {
        String in = workflowIds.isEmpty() ? "" : " AND t.workflow_id IN (" + workflowIds.stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ")";
        return h.createQuery("SELECT i.id, t.workflow_id, i.wallclock_s, i.maxrss_bytes, p.m_mem_free_mib, p.max_runtime_seconds, "
                + "p.num_cores, p.queue FROM task_instance i JOIN task t ON t.id = i.task_id JOIN node n ON n.id = t.node_id "
                + "LEFT JOIN executor_parameter_set p ON p.id = i.executor_parameter_set_id "
                + "WHERE n.task_template_version_id = :v AND i.status = 'D'" + in + " ORDER BY i.id").bind("v", templateVersionId)
                .map((rs, ctx) -> new DoneAttempt(rs.getLong(1), rs.getLong(2), (Double) rs.getObject(3, Double.class),
                        (Long) rs.getObject(4, Long.class), (Long) rs.getObject(5, Long.class), (Long) rs.getObject(6, Long.class),
                        (Integer) rs.getObject(7, Integer.class), rs.getString(8)))
                .list();
    }
}
