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
 *
 * <p>{@code GuiBench DB_FILE WORKFLOW_ID attempts} first gives the bound workflow the attempts of a
 * run well under way, in its own process: one attempt per task (98% DONE, 1% running), and for 1%
 * of tasks two failed attempts, each with an error of one of three messages.
 *
 * <p>{@code GuiBench DB_FILE WORKFLOW_ID served} measures what a person sees: a {@link GuiServer}
 * started as {@code jobmon gui} starts it, its warm-up done, the page fetched over HTTP once, then
 * five times more after a task row changed. Prints {@code RESULT warm_s=... served_first_s=...
 * served_changed_median_s=...}.
 */
public final class GuiBench {
    private GuiBench() {
    }

    public static void main(String[] args) throws Exception {
        long workflowId = Long.parseLong(args[1]);
        try (Database db = Database.open(DatabaseUrls.embedded(java.nio.file.Path.of(args[0])))) {
            if (args.length > 2 && args[2].equals("attempts")) {
                db.jdbi().useTransaction(h -> addAttempts(h, workflowId));
                return;
            }
            if (args.length > 2 && args[2].equals("served")) {
                served(db, workflowId);
                return;
            }
            long t0 = System.nanoTime();
            int size = render(db, workflowId);
            double first = (System.nanoTime() - t0) / 1e9;
            List<Double> changed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                touch(db, workflowId);
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

    private static void served(Database db, long workflowId) throws Exception {
        try (GuiServer server = new GuiServer(db, "127.0.0.1", 0)) {
            long t0 = System.nanoTime();
            server.start();
            server.warm().join();
            double warm = (System.nanoTime() - t0) / 1e9;
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest page = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + "/workflow/" + workflowId)).build();
            double first = fetch(client, page);
            List<Double> changed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                touch(db, workflowId);
                changed.add(fetch(client, page));
            }
            changed.sort(Double::compare);
            System.out.println(String.format(Locale.ROOT, "RESULT warm_s=%.2f served_first_s=%.2f served_changed_median_s=%.2f", warm,
                    first, changed.get(changed.size() / 2)));
        }
    }

    private static double fetch(java.net.http.HttpClient client, java.net.http.HttpRequest page) throws Exception {
        long t = System.nanoTime();
        var response = client.send(page, java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("data-template")) {
            throw new IllegalStateException("the workflow page answered " + response.statusCode());
        }
        return (System.nanoTime() - t) / 1e9;
    }

    private static void touch(Database db, long workflowId) {
        db.jdbi().useHandle(h -> h.execute("UPDATE task SET num_attempts = num_attempts WHERE id = (SELECT MIN(id) FROM task "
                + "WHERE workflow_id = ?)", workflowId));
    }

    private static void addAttempts(org.jdbi.v3.core.Handle h, long workflowId) {
        long run = h.createQuery("SELECT MAX(id) FROM workflow_run WHERE workflow_id = :w").bind("w", workflowId).mapTo(Long.class).one();
        String kind = "CASE MOD(id, 100) WHEN 0 THEN 'F' WHEN 1 THEN 'R' ELSE 'D' END";
        h.createUpdate("UPDATE task SET status = " + kind + ", num_attempts = CASE MOD(id, 100) WHEN 0 THEN 2 ELSE 1 END "
                + "WHERE workflow_id = :w").bind("w", workflowId).execute();
        String columns = "INSERT INTO task_instance (workflow_run_id, task_id, executor_type, status, submitted_date, start_date, "
                + "end_date, nodename, exit_code, wallclock_s, maxrss_bytes) ";
        h.createUpdate(columns + "SELECT :r, id, 'multiprocess', CASE MOD(id, 100) WHEN 0 THEN 'E' ELSE " + kind + " END, "
                + "CURRENT_TIMESTAMP(6), CURRENT_TIMESTAMP(6), CASE WHEN MOD(id, 100) = 1 THEN NULL ELSE CURRENT_TIMESTAMP(6) END, "
                + "'bench-host', CASE MOD(id, 100) WHEN 0 THEN 1 WHEN 1 THEN NULL ELSE 0 END, 1.5, 1000000 FROM task WHERE workflow_id = :w")
                .bind("r", run).bind("w", workflowId).execute();
        h.createUpdate(columns + "SELECT :r, id, 'multiprocess', 'E', CURRENT_TIMESTAMP(6), CURRENT_TIMESTAMP(6), CURRENT_TIMESTAMP(6), "
                + "'bench-host', 1, 1.5, 1000000 FROM task WHERE workflow_id = :w AND MOD(id, 100) = 0").bind("r", run)
                .bind("w", workflowId).execute();
        h.createUpdate("INSERT INTO task_instance_error_log (task_instance_id, description) SELECT id, CONCAT('Traceback:\n', "
                + "CASE MOD(task_id, 3) WHEN 0 THEN 'ValueError: bad input' WHEN 1 THEN 'MemoryError' ELSE 'KeyError: sample' END) "
                + "FROM task_instance WHERE workflow_run_id = :r AND status = 'E'").bind("r", run).execute();
    }

    private static int render(Database db, long workflowId) {
        return db.jdbi().withHandle(h -> ReportHtml.body(WorkflowView.read(h, new ViewDao().workflow(h, workflowId).orElseThrow()),
                LocalDateTime.now(), true)).length();
    }
}
