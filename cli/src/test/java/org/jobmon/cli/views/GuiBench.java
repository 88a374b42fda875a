package org.jobmon.cli.views;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jobmon.persistence.Database;
import org.jobmon.persistence.DatabaseUrls;
import org.jobmon.persistence.dao.ViewDao;

/**
 * {@code GuiBench DB_FILE WORKFLOW_ID}: how long the workflow page takes to read and render in a
 * server process: the first time (a fresh process), then five times more, each after one task row
 * changed (as while a workflow runs; an unchanged table would be answered from H2's result cache).
 * Prints {@code RESULT first_s=... changed_median_s=...}. A benchmark (bench/gui-bench.sh), not a test.
 */
public final class GuiBench {
    private GuiBench() {
    }

    public static void main(String[] args) {
        long workflowId = Long.parseLong(args[1]);
        try (Database db = Database.open(DatabaseUrls.embedded(java.nio.file.Path.of(args[0])))) {
            long t0 = System.nanoTime();
            int size = render(db, workflowId);
            double first = (System.nanoTime() - t0) / 1e9;
            List<Double> changed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                db.jdbi().useHandle(h -> h.execute("UPDATE task SET num_attempts = num_attempts WHERE id = (SELECT MIN(id) FROM task "
                        + "WHERE workflow_id = ?)", workflowId));
                long t = System.nanoTime();
                render(db, workflowId);
                changed.add((System.nanoTime() - t) / 1e9);
            }
            changed.sort(Double::compare);
            long tasks = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM task WHERE workflow_id = :w").bind("w", workflowId)
                    .mapTo(Long.class).one());
            System.out.println(String.format(Locale.ROOT, "RESULT tasks=%d first_s=%.2f changed_median_s=%.2f page_bytes=%d", tasks, first,
                    changed.get(changed.size() / 2), size));
        }
    }

    private static int render(Database db, long workflowId) {
        return db.jdbi().withHandle(h -> ReportHtml.body(WorkflowView.read(h, new ViewDao().workflow(h, workflowId).orElseThrow()),
                LocalDateTime.now(), true)).length();
    }
}
