package org.jobmon.cli.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jobmon.persistence.DatabaseUrls;
import org.jobmon.persistence.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Separate {@code jobmon run} processes on one database at once, as a team's scripts start them:
 * the database is created, migrated, bound to and resumed by several processes together.
 */
class SharedDatabaseProcessesIT {
    @TempDir
    Path dir;

    private record Started(Process process, Path work) {
        String out() throws IOException {
            return Files.readString(work.resolve("out"));
        }

        String err() throws IOException {
            return Files.readString(work.resolve("err"));
        }

        int await() throws InterruptedException {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jobmon run in " + work + " did not end");
            }
            return process.exitValue();
        }
    }

    private Started start(Path work, String db, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djobmon.workflow_run_heartbeat=2s", "-cp", System.getProperty("java.class.path"), "org.jobmon.cli.JobmonCli"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--db", db, "-n"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile());
        pb.environment().put("JOBMON_HOME", dir.resolve("home").toString());
        return new Started(pb.start(), work);
    }

    private static Path spec(Path work, String tool, String args, int tasks, String command) throws IOException {
        Files.createDirectories(work.resolve("ran"));
        Path spec = work.resolve("spec.yaml");
        Files.writeString(spec, """
                tool: %s
                workflow: {name: shared, workflow_args: %s, executor: multiprocess}
                task_templates:
                  step: {command_template: "%s", node_args: [n]}
                tasks:
                  - {template: step, name: "step_{n}", foreach: {n: {from: 1, to: %d}}, max_attempts: 1}
                """.formatted(tool, args, command, tasks));
        return spec;
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = url.startsWith("jdbc:h2:") ? DriverManager.getConnection(url, "sa", "") : DriverManager.getConnection(url);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void fourProcessesBindingAndRunningWorkflowsOfOneNewToolOnAFreshMariaDbAllEndDone() throws Exception {
        String db = TestDatabases.freshMariaDb();
        List<Started> runs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Path work = Files.createDirectories(dir.resolve("run" + i));
            runs.add(start(work, db, "run", spec(work, "a_tool_nobody_bound_yet", "shared_" + i, 500, "true {n}").toString()));
        }
        for (Started r : runs) {
            assertThat(r.await()).as("exit of %s; stdout:%n%s%nstderr:%n%s", r.work(), r.out(), r.err()).isZero();
            assertThat(r.out()).contains("\"status\":\"DONE\"");
            assertThat(r.err()).doesNotContainIgnoringCase("deadlock").doesNotContain("DATABASECHANGELOG").doesNotContain("\tat ");
        }
        assertThat(count(db, "SELECT count(*) FROM tool_version")).as("tool versions").isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM workflow")).isEqualTo(4);
        assertThat(count(db, "SELECT count(*) FROM task_instance WHERE status = 'D'")).isEqualTo(2000);
        assertThat(count(db, "SELECT count(*) FROM (SELECT task_id FROM task_instance GROUP BY task_id HAVING count(*) > 1) x"))
                .as("tasks with more than one attempt").isZero();
    }

    @Test
    void twoResumesOfOneWorkflowStartedTogetherRunItOnceOnTheEmbeddedDatabase() throws Exception {
        String db = DatabaseUrls.embedded(dir.resolve("db"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path spec = spec(work, "resumed", "resume_twice", 10, "test -f ok && echo x >> ran/{n}");
        Started first = start(work, db, "run", spec.toString());
        assertThat(first.await()).as("the first run fails: %s", first.err()).isEqualTo(1);
        Files.createFile(work.resolve("ok"));

        // each process keeps its output in a folder of its own; the spec's paths are relative to the spec
        Started ra = start(Files.createDirectories(dir.resolve("a")), db, "run", spec.toString(), "--resume");
        Started rb = start(Files.createDirectories(dir.resolve("b")), db, "run", spec.toString(), "--resume");
        int ea = ra.await();
        int eb = rb.await();
        String outputs = String.format("a: %s %s; b: %s %s", ra.out(), ra.err(), rb.out(), rb.err());
        assertThat(List.of(ea, eb)).as("exit codes; " + outputs).contains(0);
        // Started together, one claims first. The other is refused while that claim is being made; if it
        // comes a moment later, the run it finds already running is taken over (and had nothing left to
        // run), the workflow is complete, or (coming just as the first run ends) it finds every task DONE
        // and runs none. Either way one run runs the tasks, each once (below).
        if (ea == 0 && eb == 0) {
            assertThat(ra.out() + rb.out()).as("the later one ran nothing; " + outputs).contains("\"previously_done\":10");
        } else {
            Started other = ea == 0 ? rb : ra;
            assertThat(other.err() + other.out()).containsAnyOf("is being started or resumed right now", "WorkflowAlreadyComplete",
                    "another process resumed the workflow").doesNotContain("\tat ");
        }
        for (int n = 1; n <= 10; n++) {
            assertThat(Files.readAllLines(work.resolve("ran").resolve(Integer.toString(n)))).as("runs of task " + n).hasSize(1);
        }
        assertThat(count(db, "SELECT count(*) FROM task_instance WHERE status = 'D'")).as("one DONE attempt per task").isEqualTo(10);
    }
}
