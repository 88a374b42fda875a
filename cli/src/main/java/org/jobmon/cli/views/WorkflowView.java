package org.jobmon.cli.views;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jobmon.cli.status.Bucket;
import org.jobmon.cli.status.Formats;
import org.jobmon.persistence.dao.ViewDao;
import org.jobmon.persistence.dao.ViewDao.ErrorRow;
import org.jobmon.persistence.dao.ViewDao.RunRow;
import org.jobmon.persistence.dao.ViewDao.TemplateCount;
import org.jobmon.persistence.dao.ViewDao.WorkflowRow;

/**
 * A workflow as its views show it: its counts per status bucket, its runs, its task templates as a
 * DAG (one node per template with its counts, never one per task) laid out in levels, and its
 * errors grouped by message. Read in a handful of queries, whatever the number of tasks.
 */
public record WorkflowView(WorkflowRow workflow, List<RunRow> runs, Map<Bucket, Long> counts, List<TemplateNode> templates,
        List<int[]> edges, List<ErrorGroup> errors, int errorsRead, long attempts, List<ViewDao.AttemptSpan> timeline) {
    /**
     * Workflows of up to this many attempts get a timeline (one bar per attempt keeps the page fast up
     * to here); {@code attempts} is counted no further than one more than this.
     */
    static final int TIMELINE_MAX = 5_000;
    /** How many errors are read for grouping: the newest ones. */
    static final int ERRORS_READ = 20_000;
    /** How many groups are shown. */
    static final int GROUPS_SHOWN = 50;

    /** A task template version in the workflow, with its level in the DAG (0: no upstream template). */
    public record TemplateNode(long versionId, String name, Map<Bucket, Long> counts, int level, int row) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Errors whose last line is {@code message}: how many, and the task of the newest. */
    public record ErrorGroup(String message, int count, long exampleTaskId, String exampleTaskName) {
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    static Map<Bucket, Long> zero() {
        Map<Bucket, Long> m = new EnumMap<>(Bucket.class);
        for (Bucket b : Bucket.values()) {
            m.put(b, 0L);
        }
        return m;
    }

    /** Reads the view of workflow {@code w}, which must exist. */
    public static WorkflowView read(org.jdbi.v3.core.Handle h, WorkflowRow w) {
        ViewDao dao = new ViewDao();
        List<RunRow> runs = dao.runs(h, w.id());
        Map<Long, String> names = new LinkedHashMap<>();
        Map<Long, Map<Bucket, Long>> byVersion = new LinkedHashMap<>();
        Map<Bucket, Long> counts = zero();
        for (TemplateCount c : dao.templateCounts(h, w.id())) {
            names.put(c.templateVersionId(), c.template());
            Bucket b = Bucket.ofTask(c.status());
            byVersion.computeIfAbsent(c.templateVersionId(), k -> zero()).merge(b, c.count(), Long::sum);
            counts.merge(b, c.count(), Long::sum);
        }
        List<Long> ids = new ArrayList<>(names.keySet());
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        List<int[]> edges = new ArrayList<>();
        for (long[] e : dao.templateEdges(h, w.dagId())) {
            Integer u = index.get(e[0]);
            Integer d = index.get(e[1]);
            if (u != null && d != null && !u.equals(d)) {
                edges.add(new int[] {u, d});
            }
        }
        int[] level = levels(ids.size(), edges);
        int[] rows = new int[ids.size()];
        Map<Integer, Integer> used = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            rows[i] = used.merge(level[i], 1, Integer::sum) - 1;
        }
        List<TemplateNode> nodes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            nodes.add(new TemplateNode(ids.get(i), names.get(ids.get(i)), byVersion.get(ids.get(i)), level[i], rows[i]));
        }
        List<ErrorRow> errors = dao.errors(h, w.id(), ERRORS_READ);
        long attempts = dao.attemptCount(h, w.id(), TIMELINE_MAX + 1L);
        List<ViewDao.AttemptSpan> timeline = attempts <= TIMELINE_MAX ? dao.attemptSpans(h, w.id(), TIMELINE_MAX) : List.of();
        return new WorkflowView(w, runs, counts, nodes, edges, groups(errors), errors.size(), attempts, timeline);
    }

    /** Each template's level: the longest chain of upstream templates above it (a cycle between templates is cut). */
    static int[] levels(int n, List<int[]> edges) {
        int[] level = new int[n];
        // relax at most n times: enough for any chain, and it stops on a cycle between templates (a template's tasks may depend on each other)
        for (int pass = 0; pass < n; pass++) {
            boolean changed = false;
            for (int[] e : edges) {
                if (level[e[1]] < level[e[0]] + 1 && level[e[0]] + 1 < n) {
                    level[e[1]] = level[e[0]] + 1;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        return level;
    }

    /** Errors grouped by their last non-blank line, the most frequent first. */
    static List<ErrorGroup> groups(List<ErrorRow> errors) {
        Map<String, int[]> count = new LinkedHashMap<>();
        Map<String, ErrorRow> example = new HashMap<>();
        for (ErrorRow e : errors) {
            String key = Formats.lastLine(e.description());
            count.computeIfAbsent(key, k -> new int[1])[0]++;
            example.putIfAbsent(key, e);
        }
        List<ErrorGroup> groups = new ArrayList<>();
        count.forEach((k, c) -> groups.add(new ErrorGroup(k, c[0], example.get(k).taskId(), example.get(k).taskName())));
        groups.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return groups.size() > GROUPS_SHOWN ? List.copyOf(groups.subList(0, GROUPS_SHOWN)) : groups;
    }
}
