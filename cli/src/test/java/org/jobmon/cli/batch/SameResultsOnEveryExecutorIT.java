package org.jobmon.cli.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.executor.sge.SgeCell;
import org.jobmon.executor.slurm.SlurmCluster;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One workflow, run on the multiprocess executor, on Grid Engine and on Slurm: the same task statuses,
 * the same number of attempts and the same outputs. It has a fan-out and fan-in with files passed
 * between tasks, a task that fails once and succeeds on its retry, a task that fails for good, and a
 * task downstream of it that never runs.
 */
class SameResultsOnEveryExecutorIT {
    @TempDir
    Path dir;

    /** Task name to "status attempts", as every executor must leave them. */
    private static final Map<String, String> STATUSES = new TreeMap<>(Map.of(
            "make_0", "D 1", "make_1", "D 1", "make_2", "D 1", "make_3", "D 1",
            "combine", "D 1", "flaky", "D 2", "broken", "F 2", "after_broken", "G 0"));

    @ParameterizedTest
    @ValueSource(strings = {"multiprocess", "sge", "slurm"})
    void theSameWorkflowEndsTheSameWayWithTheSameOutputs(String executor) throws Exception {
        ExecutorSettings settings = ExecutorSettings.of(executor).withStdout(dir.resolve("logs")).withStderr(dir.resolve("logs"));
        switch (executor) {
            case "sge" -> {
                SgeCell.require();
                settings = settings.withExtra(Map.of("poll_interval", "1s"));
            }
            case "slurm" -> {
                SlurmCluster.require();
                settings = settings.withExtra(Map.of("poll_interval", "1s"));
            }
            default -> settings = settings.withExtra(Map.of("slots", "2"));
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        Tool tool = Tool.create("same_everywhere");
        TaskTemplate make = tool.getTaskTemplate("make", "echo value {n} from $(hostname -s | wc -l) host > " + out + "/make_{n}.txt",
                List.of("n"), List.of(), List.of());
        TaskTemplate combine = tool.getTaskTemplate("combine", "cat " + out + "/make_*.txt | sort > " + out + "/combined.txt",
                List.of(), List.of(), List.of());
        TaskTemplate shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("same_everywhere_" + executor).setExecutor(settings);
        ExecutorParameters p = ExecutorParameters.builder().numCores(1).mMemFree("100M").maxRuntimeSeconds(120).build();
        List<Task> makes = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            Task t = make.createTask().name("make_" + n).arg("n", n).executorParameters(p).build();
            makes.add(t);
            wf.addTask(t);
        }
        wf.addTask(combine.createTask().name("combine").upstreams(makes).executorParameters(p).build());
        Path marker = dir.resolve("flaky-failed-once");
        wf.addTask(shell.createTask().name("flaky").arg("cmd", "if [ -f " + marker + " ]; then echo recovered > " + out
                + "/flaky.txt; else touch " + marker + "; echo first try fails >&2; exit 5; fi").maxAttempts(3).executorParameters(p).build());
        Task broken = shell.createTask().name("broken").arg("cmd", "echo broken for good >&2; exit 3").maxAttempts(2).executorParameters(p)
                .build();
        wf.addTask(broken);
        wf.addTask(shell.createTask().name("after_broken").arg("cmd", "touch " + out + "/never.txt").upstreams(List.of(broken))
                .executorParameters(p).build());

        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(200))).build()) {
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(600));
            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.ERROR);

            Map<String, String> statuses = new TreeMap<>();
            engine.database().jdbi().useHandle(h -> h.createQuery("SELECT t.name, t.status, "
                    + "(SELECT count(*) FROM task_instance ti WHERE ti.task_id = t.id) FROM task t WHERE t.workflow_id = :w")
                    .bind("w", r.workflowId()).map((rs, ctx) -> rs.getString(1) + "=" + rs.getString(2) + " " + rs.getLong(3)).list()
                    .forEach(row -> statuses.put(row.substring(0, row.indexOf('=')), row.substring(row.indexOf('=') + 1))));
            assertThat(statuses).as("on " + executor).isEqualTo(STATUSES);
        }
        assertThat(Files.readString(out.resolve("combined.txt"))).isEqualTo("value 0 from 1 host\nvalue 1 from 1 host\n"
                + "value 2 from 1 host\nvalue 3 from 1 host\n");
        assertThat(Files.readString(out.resolve("flaky.txt"))).isEqualTo("recovered\n");
        assertThat(out.resolve("never.txt")).doesNotExist();
        try (var logs = Files.list(dir.resolve("logs"))) {
            assertThat(logs.filter(f -> f.getFileName().toString().startsWith("broken.e")).toList()).as("both attempts' stderr")
                    .hasSize(2).allSatisfy(f -> assertThat(Files.readString(f)).isEqualTo("broken for good\n"));
        }
    }
}
