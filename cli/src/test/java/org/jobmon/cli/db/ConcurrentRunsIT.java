package org.jobmon.cli.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight {@code jobmon run} processes started at once on the embedded default database of a fresh
 * JOBMON_HOME, each with a workflow of its own: the first serves the file to the others and hands
 * it over when it ends. Every run must end DONE, on a new database and on one that exists.
 */
class ConcurrentRunsIT {
    private static final int RUNS = 8;

    @TempDir
    Path dir;

    @Test
    void eightRunsStartedTogetherOnTheEmbeddedDatabaseAllEndDone() throws Exception {
        Path home = dir.resolve("home");
        assertAllDone(startTogether(home, "fresh"));
        assertThat(home.resolve("jobmon.mv.db")).exists();
        assertThat(home.resolve("runs")).isDirectory();
        assertAllDone(startTogether(home, "existing"));
    }

    private List<Started> startTogether(Path home, String round) throws IOException {
        List<Started> started = new ArrayList<>();
        for (int i = 1; i <= RUNS; i++) {
            Path work = Files.createDirectories(dir.resolve(round + "-" + i));
            Path spec = work.resolve("spec.yaml");
            Files.writeString(spec, """
                    tool: concurrent_runs
                    workflow: {name: w_%1$s_%2$d, workflow_args: %1$s_%2$d, executor: sequential}
                    task_templates:
                      step: {command_template: "true {n}", node_args: [n]}
                    tasks:
                      - {template: step, name: "step_{n}", foreach: {n: [1, 2]}}
                    """.formatted(round, i));
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.jobmon.cli.JobmonCli", "run", spec.toString(), "-n");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                    .redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile());
            pb.environment().put("JOBMON_HOME", home.toString());
            pb.environment().remove("JOBMON_DB_URL");
            started.add(new Started(pb.start(), work));
        }
        return started;
    }

    private static void assertAllDone(List<Started> started) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Started s : started) {
            boolean ended = s.process.waitFor(180, TimeUnit.SECONDS);
            if (!ended) {
                s.process.destroyForcibly();
            }
            String out = Files.readString(s.work.resolve("out"));
            if (!ended || s.process.exitValue() != 0 || !out.contains("\"status\":\"DONE\"")) {
                failures.add(s.work.getFileName() + (ended ? " exit " + s.process.exitValue() : " did not end") + "\nstdout:\n"
                        + out + "\nstderr:\n" + Files.readString(s.work.resolve("err")));
            }
        }
        assertThat(failures).as("runs that did not end DONE").isEmpty();
    }

    private record Started(Process process, Path work) {
    }
}
