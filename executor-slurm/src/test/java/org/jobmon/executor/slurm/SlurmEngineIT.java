package org.jobmon.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.engine.testing.Attempts;
import org.jobmon.engine.testing.Attempts.Attempt;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows on the real Slurm cluster through the engine: submission, polling, accounting and classification. */
class SlurmEngineIT {
    @TempDir
    Path dir;

    private JobmonEngine engine;
    private Path bin;

    @BeforeEach
    void cluster() throws Exception {
        SlurmCluster.require();
        bin = SlurmCluster.countingBinDir(dir.resolve("bin"));
        engine = engine(EngineConfig.defaults());
    }

    private JobmonEngine engine(EngineConfig config) {
        return JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .config(config.withWorkflowRunHeartbeat(Duration.ofSeconds(2)).withMaxCycleWait(Duration.ofMillis(200))).build();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ExecutorSettings slurm(Map<String, String> more) {
        Map<String, String> extra = new HashMap<>(Map.of("bin_dir", bin.toString(), "poll_interval", "1s"));
        extra.putAll(more);
        return ExecutorSettings.of("slurm").withStdout(dir.resolve("logs")).withStderr(dir.resolve("logs")).withExtra(extra);
    }

    private List<Attempt> instances(long workflowId) {
        return Attempts.of(engine, workflowId);
    }

    private WorkflowRunResult runOne(String name, String command, ExecutorParameters p, int attempts, ExecutorSettings settings) {
        return Attempts.runOne(engine, name, command, p, attempts, settings);
    }

    @Test
    void aDagRunsDoneWithOneArrayJobPerTemplateAndSacctShowsWhatWasAskedFor() throws Exception {
        Tool tool = Tool.create("slurm_dag");
        TaskTemplate wide = tool.getTaskTemplate("wide", "echo {n} cpus=$SLURM_CPUS_PER_TASK", List.of("n"), List.of(), List.of());
        TaskTemplate last = tool.getTaskTemplate("last", "echo done cpus=$SLURM_CPUS_PER_TASK", List.of(), List.of(), List.of());
        Workflow wf = tool.createWorkflow("slurm_dag").setExecutor(slurm(Map.of()));
        ExecutorParameters p = ExecutorParameters.builder().numCores(1).mMemFree("300M").maxRuntimeSeconds(60).queue("all.q").build();
        List<Task> phase = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Task t = wide.createTask().arg("n", i).executorParameters(p).build();
            phase.add(t);
            wf.addTask(t);
        }
        wf.addTask(last.createTask().name("the_last_one").upstreams(phase)
                .executorParameters(ExecutorParameters.builder().numCores(2).mMemFree("400M").maxRuntimeSeconds(90).queue("long.q").build())
                .build());

        WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(300));

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).hasSize(7).allSatisfy(i -> assertThat(i.status()).isEqualTo('D'));
        assertThat(SlurmCluster.calls(bin, "sbatch")).as("one array job for the phase, one job for the last task").isEqualTo(2);
        for (Attempt i : all) {
            Map<String, String> acct = SlurmCluster.sacct(i.executorId());
            assertThat(acct.get("State")).isEqualTo("COMPLETED");
            if (i.task().equals("the_last_one")) {
                assertThat(acct).containsEntry("JobName", "the_last_one").containsEntry("Partition", "long.q").containsEntry("ReqCPUS", "2")
                        .containsEntry("ReqMem", "400M").containsEntry("Timelimit", "00:02:00");
            } else {
                assertThat(i.executorId()).as("a member of the array").matches("\\d+_\\d+");
                assertThat(acct).containsEntry("JobName", "wide").containsEntry("Partition", "all.q").containsEntry("ReqCPUS", "1")
                        .containsEntry("ReqMem", "300M").containsEntry("Timelimit", "00:01:00");
            }
        }
        try (var logs = Files.list(dir.resolve("logs"))) {
            assertThat(logs.filter(f -> f.getFileName().toString().contains(".o")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).as("each task's stdout in its own file, SLURM_CPUS_PER_TASK set").contains("0 cpus=1\n", "5 cpus=1\n",
                    "done cpus=2\n");
        }
    }

    @Test
    void aJobOverItsMemIsOutOfMemoryAMemoryErrorRetriedWithMoreMemory() throws Exception {
        String hog = "python3 -c 'b = bytearray(300 * 2**20); import time; time.sleep(2)'";
        WorkflowRunResult r = runOne("over_mem", hog, ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60)
                .resourceScale("m_mem_free", 3.0).build(), 3, slurm(Map.of()));

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).extracting(Attempt::status).containsExactly('Z', 'D');
        assertThat(all.get(0).error()).contains("OUT_OF_MEMORY").contains("memory");
        assertThat(SlurmCluster.sacct(all.get(0).executorId())).containsEntry("State", "OUT_OF_MEMORY");
        assertThat(SlurmCluster.sacct(all.get(1).executorId())).as("the retry asked for 100M * (1 + 3)").containsEntry("ReqMem", "400M");
    }

    /** The one test that waits for a time limit: Slurm counts whole minutes and kills up to ~30 s late. */
    @Test
    void aJobOverItsTimeLimitIsARuntimeErrorRetriedWithScaledRuntime() throws Exception {
        Path marker = dir.resolve("timed-out-once");
        WorkflowRunResult r = runOne("over_time", "if [ -f " + marker + " ]; then exit 0; fi; touch " + marker + "; sleep 600",
                ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(30).resourceScale("max_runtime_seconds", 3.0).build(), 3,
                slurm(Map.of()));

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).extracting(Attempt::status).containsExactly('Z', 'D');
        assertThat(all.get(0).error()).contains("TIMEOUT").contains("runtime").contains("whole minutes");
        assertThat(SlurmCluster.sacct(all.get(0).executorId())).containsEntry("State", "TIMEOUT").containsEntry("Timelimit", "00:01:00");
        assertThat(SlurmCluster.sacct(all.get(1).executorId())).as("30 s * (1 + 3) = 120 s").containsEntry("Timelimit", "00:02:00");
    }

    @Test
    void aJobCancelledFromOutsideIsRetriedAndNotTakenForAResourceKill() throws Exception {
        Path marker = dir.resolve("second-attempt");
        var run = CompletableFuture.supplyAsync(() -> runOne("scancelled", "if [ -f " + marker + " ]; then exit 0; fi; touch " + marker
                + "; sleep 120", ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(300).build(), 3, slurm(Map.of())));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(marker) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(marker).as("the first attempt runs").exists();
        String job = engine.database().jdbi().withHandle(h -> h.createQuery("SELECT executor_id FROM task_instance").mapTo(String.class).one());
        assertThat(SlurmCluster.run("scancel", job).ok()).isTrue();

        WorkflowRunResult r = run.get(120, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).extracting(Attempt::status).containsExactly('E', 'D');
        assertThat(all.get(0).error()).contains("cancelled").doesNotContain("resource error");
    }

    @Test
    void a200TaskPhaseIsSubmittedWithAFewSbatchCallsAndPolledWithOneSqueuePerPoll() throws Exception {
        Tool tool = Tool.create("wide");
        TaskTemplate t = tool.getTaskTemplate("w", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("wide").setExecutor(slurm(Map.of()));
        ExecutorParameters p = ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build();
        for (int i = 0; i < 200; i++) {
            wf.addTask(t.createTask().arg("n", i).executorParameters(p).build());
        }
        long start = System.nanoTime();
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(900));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(instances(r.workflowId())).hasSize(200).allSatisfy(i -> assertThat(i.status()).isEqualTo('D'));
        long sbatch = SlurmCluster.calls(bin, "sbatch");
        long squeue = SlurmCluster.calls(bin, "squeue");
        System.out.printf("200 tasks on Slurm: %.1f s, %d sbatch, %d squeue, %d sacct%n", seconds, sbatch, squeue,
                SlurmCluster.calls(bin, "sacct"));
        assertThat(sbatch).isLessThanOrEqualTo(10);
        assertThat(squeue).as("one squeue per poll (1 s) for all 200 jobs, not one per job").isLessThanOrEqualTo((long) seconds + 3);
        assertThat(SlurmCluster.calls(bin, "sacct")).as("exit records answer for jobs that exited 0").isZero();
    }

    @Test
    void aHeldJobIsEndedWithSlurmsReasonAfterTheNeverStartedDeadline() throws Exception {
        engine.close();
        engine = engine(EngineConfig.defaults().withNeverStartedDeadline(Duration.ofSeconds(4)));
        WorkflowRunResult r = runOne("held", "true", ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build(), 1,
                slurm(Map.of("sbatch_args", "--hold")));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        Attempt held = instances(r.workflowId()).get(0);
        assertThat(held.status()).isEqualTo('X');
        assertThat(held.error()).contains("held in Slurm").contains("JobHeldUser").contains("never started");
        assertThat(SlurmCluster.liveJobs()).as("the held job was cancelled").doesNotContain(held.executorId());
    }

    @Test
    void aJobWhoseOutputFileSlurmCannotOpenFailsNamingThePath() throws Exception {
        WorkflowRunResult r = runOne("badout", "true", ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build(), 1,
                slurm(Map.of("sbatch_args", "--output=/nonexistent/dir/out")));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        Attempt bad = instances(r.workflowId()).get(0);
        assertThat(bad.error()).contains("could not open the job's output").contains("0:53").contains("/nonexistent/dir/out");
    }

    @Test
    void requestsAreCheckedAgainstThePartitionsBeforeAnythingIsWritten() throws Exception {
        ExecutorParameters p = ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build();
        assertThatThrownBy(() -> runOne("setting", "true", p, 1, slurm(Map.of("qsub_args", "-V"))))
                .isInstanceOf(JobmonException.class).hasMessageContaining("the slurm executor has no setting qsub_args")
                .hasMessageContaining("sbatch_args");
        assertThatThrownBy(() -> runOne("setting", "true", ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(400 * 3600)
                .build(), 1, slurm(Map.of()))).hasMessageContaining("max_runtime_seconds 1440000").hasMessageContaining("MaxTime");
        int workflows = engine.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM workflow").mapTo(Integer.class).one());
        assertThat(workflows).as("nothing written").isZero();

        WorkflowRunResult r = runOne("setting", "true", ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(4 * 86_400).build(),
                1, slurm(Map.of()));
        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(SlurmCluster.sacct(instances(r.workflowId()).get(0).executorId()))
                .as("four days are over all.q's MaxTime: the task moved to long.q").containsEntry("Partition", "long.q");
    }
}
