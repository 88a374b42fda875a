package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;

import org.jdbi.v3.core.Handle;
import org.jobmon.cli.CliContext;
import org.jobmon.cli.JobmonCli;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.DatabaseUrls;

import picocli.CommandLine;

/**
 * A benchmark, not a test: fills a database with W workflows of T tasks in all (by bulk SQL, not
 * through the engine) and times {@code jobmon workflow_status} on it, in process (each call opens
 * the database, checks its schema, queries and prints, as the command does).
 *
 * <pre>
 * cli/bench/status-bench.sh [WORKFLOWS [TASKS [JDBC_URL]]]     # default 1000 1000000, a new embedded database
 * </pre>
 *
 * A JDBC_URL whose database this benchmark filled before is timed again without filling it.
 *
 * Every workflow has TASKS / WORKFLOWS tasks in a mix of statuses and attempts and one run; one in
 * ten runs is by the current user, the rest by others. Prints one line per case: the first call
 * and the best and median of the next ones, in milliseconds.
 */
public final class StatusBench {
    private StatusBench() {
    }

    public static void main(String[] args) throws Exception {
        int workflows = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String url;
        if (args.length > 2) {
            url = args[2];
        } else {
            Path dir = Files.createTempDirectory("jobmon-status-bench");
            url = DatabaseUrls.embedded(dir.resolve("db"));
            System.out.println("database: " + url);
        }
        int perWorkflow = Math.max(1, tasks / workflows);
        String me = System.getProperty("user.name", "unknown");
        long t0 = System.nanoTime();
        long firstWorkflow;
        try (Database db = Database.open(url)) {
            // a database this benchmark filled before is used as it is
            long[] earlier = db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MIN(id), 0), COUNT(*) FROM workflow "
                    + "WHERE name LIKE 'bench_workflow_%'").map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one());
            if (earlier[1] >= workflows) {
                firstWorkflow = earlier[0];
                System.out.println("using the " + earlier[1] + " workflows filled before, from id " + firstWorkflow);
            } else {
                firstWorkflow = db.jdbi().inTransaction(h -> fill(h, db.dialect(), workflows, perWorkflow, me));
                System.out.printf(Locale.ROOT, "filled %d workflows x %d tasks = %d tasks in %.1f s%n", workflows, perWorkflow,
                        (long) workflows * perWorkflow, (System.nanoTime() - t0) / 1e9);
            }
        }

        List<String> all = new ArrayList<>(List.of("workflow_status", "-n", "-w"));
        Set<Long> allIds = new LinkedHashSet<>();
        for (int i = 0; i < workflows; i++) {
            all.add(Long.toString(firstWorkflow + i));
            allIds.add(firstWorkflow + i);
        }
        long one = firstWorkflow + workflows / 2;
        time(url, "workflow_status (default: your 20 newest)", List.of("workflow_status"), Set.of(), List.of(me), 20);
        time(url, "workflow_status -n (default, JSON)", List.of("workflow_status", "-n"), Set.of(), List.of(me), 20);
        time(url, "workflow_status -w ONE", List.of("workflow_status", "-w", Long.toString(one)), Set.of(one), List.of(), 20);
        time(url, "workflow_status -u " + me + " -l 1000 (" + (workflows + 9) / 10 + " workflows)",
                List.of("workflow_status", "-u", me, "-l", "1000"), Set.of(), List.of(me), 1000);
        time(url, "workflow_status -n -w ALL " + workflows + " (every task)", all, allIds, List.of(), 20);
    }

    /** Inserts the rows; returns the first workflow id. */
    private static long fill(Handle h, Database.Dialect dialect, int workflows, int perWorkflow, String me) {
        String range = dialect == Database.Dialect.H2 ? "SYSTEM_RANGE(1, %d) r(x)" : "seq_1_to_%d r";
        String x = dialect == Database.Dialect.H2 ? "r.x" : "r.seq";
        h.execute("INSERT INTO tool (name) VALUES ('status_bench')");
        long tool = h.select("SELECT MAX(id) FROM tool").mapTo(Long.class).one();
        h.execute("INSERT INTO tool_version (tool_id) VALUES (?)", tool);
        long toolVersion = h.select("SELECT MAX(id) FROM tool_version").mapTo(Long.class).one();
        h.execute("INSERT INTO task_template (tool_version_id, name) VALUES (?, 'bench')", toolVersion);
        long template = h.select("SELECT MAX(id) FROM task_template").mapTo(Long.class).one();
        h.execute("INSERT INTO task_template_version (task_template_id, command_template, arg_mapping_hash) VALUES (?, 'true {n}', ?)",
                template, "b".repeat(64));
        long ttv = h.select("SELECT MAX(id) FROM task_template_version").mapTo(Long.class).one();
        long node0 = h.select("SELECT COALESCE(MAX(id), 0) FROM node").mapTo(Long.class).one();
        // one node per task position, shared by every workflow (a task is unique per workflow and node)
        h.execute(String.format(Locale.ROOT, "INSERT INTO node (id, task_template_version_id, node_args_hash) "
                + "SELECT %d + %s, %d, LPAD(CAST(%s AS CHAR(20)), 64, '0') FROM " + range, node0, x, ttv, x, perWorkflow));
        h.execute("INSERT INTO dag (hash) VALUES (?)", "bench-" + System.nanoTime());
        long dag = h.select("SELECT MAX(id) FROM dag").mapTo(Long.class).one();
        long wf0 = h.select("SELECT COALESCE(MAX(id), 0) FROM workflow").mapTo(Long.class).one();
        h.execute(String.format(Locale.ROOT, "INSERT INTO workflow (id, tool_version_id, dag_id, workflow_args_hash, task_hash, name, "
                + "workflow_args, max_concurrently_running, status) SELECT %d + %s, %d, %d, LPAD(CAST(%d + %s AS CHAR(20)), 64, 'w'), "
                + "'t', CONCAT('bench_workflow_', %s), CONCAT('args_', %s), 100, CASE WHEN MOD(%s, 3) = 0 THEN 'R' ELSE 'D' END FROM "
                + range, wf0, x, toolVersion, dag, wf0, x, x, x, x, workflows));
        h.execute(String.format(Locale.ROOT, "INSERT INTO workflow_run (workflow_id, user, hostname, pid, jobmon_version, status) "
                + "SELECT %d + %s, CASE WHEN MOD(%s, 10) = 0 THEN '%s' ELSE CONCAT('user_', MOD(%s, 37)) END, 'bench-host', 1, "
                + "'bench', 'D' FROM " + range, wf0, x, x, me.replace("'", "''"), x, workflows));
        long task0 = h.select("SELECT COALESCE(MAX(id), 0) FROM task").mapTo(Long.class).one();
        long total = (long) workflows * perWorkflow;
        // task n: workflow n / perWorkflow, node n % perWorkflow; statuses D 70%, G 10%, R 10%, F 5%, Q 5%
        h.execute(String.format(Locale.ROOT, "INSERT INTO task (id, workflow_id, node_id, task_template_version_id, "
                + "task_args_hash, name, command, num_attempts, max_attempts, status) SELECT %d + %s, %d + 1 + FLOOR((%s - 1) / %d), "
                + "%d + 1 + MOD(%s - 1, %d), %d, 'h', "
                + "CONCAT('task_', %s), 'true', 1 + CASE WHEN MOD(%s, 7) = 0 THEN 1 ELSE 0 END, 3, "
                + "CASE MOD(%s, 20) WHEN 0 THEN 'G' WHEN 1 THEN 'G' WHEN 2 THEN 'R' WHEN 3 THEN 'R' WHEN 4 THEN 'F' "
                + "WHEN 5 THEN 'Q' ELSE 'D' END FROM " + range,
                task0, x, wf0, x, perWorkflow, node0, x, perWorkflow, ttv, x, x, x, total));
        h.execute(dialect == Database.Dialect.H2 ? "ANALYZE" : "ANALYZE TABLE task, workflow, workflow_run");
        return wf0 + 1;
    }

    /**
     * Times one case 7 times: the whole command in process (open the database and check its schema,
     * query, print, close), and apart from that the queries alone on a database just opened (a new
     * session, so nothing is answered from H2's result cache).
     */
    private static void time(String url, String label, List<String> command, Set<Long> wanted, List<String> who, int limit) {
        List<String> args = new ArrayList<>(command);
        args.add("--db");
        args.add(url);
        int runs = 7;
        long[] total = new long[runs];
        long[] open = new long[runs];
        long[] query = new long[runs];
        long[] close = new long[runs];
        String firstLine = "";
        int lines = 0;
        for (int i = 0; i < runs; i++) {
            StringWriter out = new StringWriter();
            CommandLine cl = new JobmonCli(CliContext.system()).commandLine();
            cl.setOut(new PrintWriter(out, true));
            long start = System.nanoTime();
            int code = cl.execute(args.toArray(String[]::new));
            total[i] = (System.nanoTime() - start) / 1_000_000;
            if (code != 0) {
                throw new IllegalStateException(label + " exited " + code);
            }
            lines = (int) out.toString().lines().count();
            firstLine = out.toString().lines().skip(1).findFirst().orElse("");

            long t0 = System.nanoTime();
            Database db = Database.open(url);
            long t1 = System.nanoTime();
            int rows = db.jdbi().withHandle(h -> WorkflowStatusCommand.load(h, db, wanted, who, limit)).size();
            long t2 = System.nanoTime();
            db.close();
            long t3 = System.nanoTime();
            open[i] = (t1 - t0) / 1_000_000;
            query[i] = (t2 - t1) / 1_000_000;
            close[i] = (t3 - t2) / 1_000_000;
            if (rows == 0 && lines > 1) {
                throw new IllegalStateException("no rows");
            }
        }
        System.out.printf(Locale.ROOT, "%-58s command: first %5d ms, median of the rest %5d ms (%d lines)%n", label, total[0],
                median(total), lines);
        System.out.printf(Locale.ROOT, "%-58s   of which open + schema check %d ms, queries %d ms, close %d ms (medians)%n", "",
                median(open), median(query), median(close));
        if (!firstLine.isEmpty() && lines > 1) {
            System.out.println("    e.g. " + (firstLine.length() > 100 ? firstLine.substring(0, 100) + "..." : firstLine));
        }
    }

    private static long median(long[] ms) {
        long[] rest = java.util.Arrays.copyOfRange(ms, 1, ms.length);
        java.util.Arrays.sort(rest);
        return rest[rest.length / 2];
    }
}
