package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.Test;

/** A run that lost its lease stops at its next cycle: it writes nothing more and starts nothing. */
class LeaseFencingTest extends ShellEngineTest {
    @Override
    String toolName() {
        return "fencing";
    }

    String snapshot() {
        return jdbi.withHandle(h -> h.createQuery("SELECT (SELECT count(*) FROM task_instance) || '/' "
                + "|| (SELECT count(*) FROM task_status_audit) || '/' || (SELECT count(*) FROM task_instance_status_audit) || '/' "
                + "|| (SELECT count(*) FROM task_instance_error_log) || '/' "
                + "|| (SELECT group_concat(status ORDER BY id SEPARATOR '') FROM task) || '/' "
                + "|| (SELECT group_concat(status ORDER BY id SEPARATOR '') FROM task_instance)").mapTo(String.class).one());
    }

    @Test
    void aRunSettledByAnotherProcessWritesNothingMoreAndStartsNothing() throws Exception {
        Files.createDirectories(dir.resolve("started"));
        Task gate = shell.createTask().arg("cmd", "while [ ! -f release ]; do sleep 0.05; done").maxAttempts(1).build();
        Workflow wf = tool.createWorkflow("fenced").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir)).addTask(gate);
        for (int i = 0; i < 10; i++) {
            wf.addTask(shell.createTask().arg("cmd", "touch started/" + i).maxAttempts(1).upstream(gate).build());
        }
        CompletableFuture<WorkflowRunResult> run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults()));
        ReliabilityTest.await("the gate task to run", () -> count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
        // what a process that judged the run dead does (a status command, a resume)
        jdbi.useHandle(h -> h.execute("UPDATE workflow_run SET status = 'E'"));
        String settled = snapshot();
        Files.createFile(dir.resolve("release"));

        WorkflowRunResult r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.message()).contains("lost its lease");
        try (var started = Files.list(dir.resolve("started"))) {
            assertThat(started).as("tasks started after the run lost its lease").isEmpty();
        }
        assertThat(snapshot()).as("rows written after the run lost its lease").isEqualTo(settled);
        String runStatus = jdbi.withHandle(h -> h.createQuery("SELECT status FROM workflow_run").mapTo(String.class).one());
        assertThat(runStatus).isEqualTo("E");
    }

    @Test
    void aRunThatTimesOutLeavesNoInstanceQueuedOrInstantiated() throws Exception {
        Workflow wf = tool.createWorkflow("timeout").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir)
                .withExtra(java.util.Map.of("slots", "1")));
        for (int i = 0; i < 4; i++) {
            wf.addTask(shell.createTask().arg("cmd", "sleep 30 # " + i).maxAttempts(1).build());
        }
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(1));
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.message()).contains("timed out").contains("not yet started were dropped");
        assertThat(count(jdbi, "SELECT count(*) FROM task_instance WHERE status IN ('I', 'B')")).as("instances left queued").isZero();
        assertThat(count(jdbi, "SELECT count(*) FROM task WHERE status IN ('Q', 'I')")).as("tasks left queued or instantiated").isZero();
        assertThat(count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'R'")).as("the one running instance, left running").isEqualTo(1);
        // the instance left running: killed here so it does not outlive the test
        engine.run(wf, RunOptions.defaults().withResume(true).withSecondsUntilTimeout(1));
    }

    static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
