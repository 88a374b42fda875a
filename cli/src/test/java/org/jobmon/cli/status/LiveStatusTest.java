package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.status.LiveWorkflows.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The status commands and concurrency_limit while a real workflow runs on the embedded database. */
@Tag("engine")
class LiveStatusTest {
    /** Appends to "starts" when it starts, then waits until the file "release" exists. */
    static final String GATED = "echo %s >> starts; while [ ! -f release ]; do sleep 0.05; done";

    @TempDir
    Path dir;
    LiveWorkflows live;

    @BeforeEach
    void open() {
        live = new LiveWorkflows(dir);
    }

    @AfterEach
    void close() {
        live.close();
    }

    @Test
    void workflowStatusFromAnotherProcessShowsRunningTasksThenDone() throws Exception {
        Workflow wf = live.workflow("live_status", 4);
        for (int i = 1; i <= 3; i++) {
            wf.addTask(live.sh("gated_" + i, String.format(GATED, i), 1));
        }
        Run run = live.start(wf, RunOptions.defaults());
        long id = run.id();
        LiveWorkflows.await("3 tasks RUNNING", () -> live.workflowStatus(id).get("running").asInt() == 3);

        JsonNode during = otherProcess("workflow_status", "-w", Long.toString(id), "-n");
        assertThat(during).hasSize(1);
        JsonNode row = during.get(0);
        assertThat(row.get("wf_id").asLong()).isEqualTo(id);
        assertThat(row.get("wf_status").asText()).isEqualTo("RUNNING");
        assertThat(row.get("tasks").asInt()).isEqualTo(3);
        assertThat(row.get("running").asInt()).isEqualTo(3);
        assertThat(row.get("done").asInt()).isZero();
        assertThat(run.result).isNotDone();

        live.touch("release");
        assertThat(run.end().status()).isEqualTo(WorkflowRunStatus.DONE);
        JsonNode after = otherProcess("workflow_status", "-w", Long.toString(id), "-n").get(0);
        assertThat(after.get("wf_status").asText()).isEqualTo("DONE");
        assertThat(after.get("done").asInt()).isEqualTo(3);
        assertThat(after.get("running").asInt()).isZero();
        assertThat(after.get("pending").asInt()).isZero();
    }

    @Test
    void theStatusCommandsWorkDuringARunAndFilterByStatusInAnyCase() {
        Workflow wf = live.workflow("live_tasks", 4);
        wf.addTask(live.sh("fast", "true", 1));
        wf.addTask(live.sh("gated", String.format(GATED, "g"), 1));
        Run run = live.start(wf, RunOptions.defaults());
        long id = run.id();
        LiveWorkflows.await("one task DONE and one RUNNING", () -> {
            JsonNode s = live.workflowStatus(id);
            return s.get("done").asInt() == 1 && s.get("running").asInt() == 1;
        });

        JsonNode running = live.json("workflow_tasks", "-w", Long.toString(id), "-s", "running", "-n");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).get("task_name").asText()).isEqualTo("gated");
        assertThat(running.get(0).get("status").asText()).isEqualTo("RUNNING");
        JsonNode doneOrPending = live.json("workflow_tasks", "-w", Long.toString(id), "-s", "Done", "PENDING", "-n");
        assertThat(doneOrPending).extracting(t -> t.get("task_name").asText()).containsExactly("fast");

        long gated = running.get(0).get("task_id").asLong();
        JsonNode attempts = live.json("task_status", "-t", Long.toString(gated), "-n");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("status").asText()).isEqualTo("RUNNING");
        assertThat(attempts.get(0).get("hostname").isNull()).isFalse();
        assertThat(live.json("task_status", "-t", Long.toString(gated), "-s", "done", "-n")).isEmpty();

        CliResult table = live.jobmon("workflow_tasks", "-w", Long.toString(id)).exits(ExitCodes.OK);
        assertThat(table.out().lines().findFirst().orElse("")).matches("TASK_ID +TASK_NAME +STATUS +RETRIES");
        live.touch("release");
        assertThat(run.end().isDone()).isTrue();
    }

    @Test
    void concurrencyLimitZeroPausesARunningWorkflowAndThreeLetsItFinish() {
        int n = 8;
        Workflow wf = live.workflow("live_limit", 4);
        for (int i = 1; i <= n; i++) {
            wf.addTask(live.sh("step_" + i, String.format(GATED, i), 1));
        }
        Run run = live.start(wf, RunOptions.defaults().withMaxConcurrentlyRunning(2));
        long id = run.id();
        LiveWorkflows.await("two tasks to start", () -> live.lines("starts").size() == 2);

        CliResult paused = live.jobmon("concurrency_limit", "-w", Long.toString(id), "-n", "0").exits(ExitCodes.OK);
        assertThat(paused.out()).contains("concurrency limit 2 -> 0").contains("applies it within one scheduling cycle");
        live.touch("release");
        // the two running tasks finish; none starts in their place
        LiveWorkflows.await("the running tasks to finish", () -> live.workflowStatus(id).get("done").asInt() == 2);
        // 30 scheduling cycles (50 ms each) go by without a start while tasks are still pending
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < until) {
            assertThat(live.lines("starts")).as("tasks started while the limit was 0").hasSize(2);
            LiveWorkflows.pause();
        }
        JsonNode status = live.workflowStatus(id);
        assertThat(status.get("pending").asInt()).isEqualTo(n - 2);
        assertThat(status.get("running").asInt()).isZero();
        assertThat(run.result).isNotDone();

        live.jobmon("concurrency_limit", "-w", Long.toString(id), "-n", "3").exits(ExitCodes.OK);
        WorkflowRunResult r = run.end();
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(live.lines("starts")).hasSize(n);
        assertThat(live.count("SELECT max_concurrently_running FROM workflow WHERE id = ?", id)).isEqualTo(3);
    }

    @Test
    void concurrencyLimitOfAnUnknownWorkflowOrANegativeLimitFails() {
        live.jobmon("concurrency_limit", "-w", "4242", "-n", "3").exits(ExitCodes.FAILED);
        CliResult negative = live.jobmon("concurrency_limit", "-w", "1", "-n", "-1").exits(ExitCodes.USAGE);
        assertThat(negative.err()).contains("-n must be 0");
    }

    /** Runs {@code jobmon ARGS --db DB} in a new JVM with this test's class path; returns its JSON output. */
    private JsonNode otherProcess(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.jobmon.cli.JobmonCli", "--db", live.db));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(LiveWorkflows.DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("jobmon " + String.join(" ", args) + " did not end within " + LiveWorkflows.DEADLINE);
        }
        assertThat(p.exitValue()).as("exit code of the other process; stderr:%n%s", Files.readString(err)).isZero();
        return LiveWorkflows.parse(Files.readString(out));
    }
}
