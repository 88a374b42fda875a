package org.jobmon.executor.sge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
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
import org.jobmon.engine.testing.Attempts;
import org.jobmon.engine.testing.Attempts.Attempt;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows on the real Grid Engine cell through the engine: submission, polling, accounting and classification. */
class SgeEngineIT {
    @TempDir
    Path dir;

    private JobmonEngine engine;
    private Path bin;

    @BeforeEach
    void cell() throws Exception {
        SgeCell.require();
        bin = SgeCell.countingBinDir(dir.resolve("bin"));
        engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(2)).withMaxCycleWait(Duration.ofMillis(200)))
                .build();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private ExecutorSettings sge(Map<String, String> more) {
        Map<String, String> extra = new java.util.HashMap<>(Map.of("bin_dir", bin.toString(), "poll_interval", "1s",
                "memory", "m_mem_free,h_vmem"));
        extra.putAll(more);
        return ExecutorSettings.of("sge").withStdout(dir.resolve("logs")).withStderr(dir.resolve("logs")).withExtra(extra);
    }

    private List<Attempt> instances(long workflowId) {
        return Attempts.of(engine, workflowId);
    }

    @Test
    void aDagRunsDoneWithOneArrayJobPerTemplateAndAccountingShowsWhatWasAskedFor() throws Exception {
        Tool tool = Tool.create("sge_dag");
        TaskTemplate wide = tool.getTaskTemplate("wide", "echo {n}", List.of("n"), List.of(), List.of());
        TaskTemplate last = tool.getTaskTemplate("last", "echo done", List.of(), List.of(), List.of());
        Workflow wf = tool.createWorkflow("sge_dag").setExecutor(sge(Map.of()));
        ExecutorParameters p = ExecutorParameters.builder().numCores(1).mMemFree("300M").maxRuntimeSeconds(60).queue("all.q").build();
        List<Task> phase = new java.util.ArrayList<>();
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
        assertThat(SgeCell.calls(bin, "qsub")).as("one array job for the phase, one job for the last task").isEqualTo(2);
        for (Attempt i : all) {
            String acct = SgeCell.qacct(i.executorId());
            if (i.task().equals("the_last_one")) {
                assertThat(acct).containsPattern("jobname\\s+the_last_one").containsPattern("qname\\s+long.q")
                        .containsPattern("slots\\s+2").contains("h_rt=90").contains("h_vmem=200M");
            } else {
                assertThat(i.executorId()).as("a member of the array").contains(".");
                assertThat(acct).containsPattern("jobname\\s+wide").containsPattern("qname\\s+all.q").containsPattern("slots\\s+1")
                        .contains("h_rt=60").contains("h_vmem=300M");
            }
        }
        try (var logs = java.nio.file.Files.list(dir.resolve("logs"))) {
            assertThat(logs.filter(f -> f.getFileName().toString().contains(".o")).map(f -> {
                try {
                    return java.nio.file.Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).as("each task's stdout in its own file").contains("0\n", "3\n", "5\n", "done\n");
        }
    }

    private WorkflowRunResult runOne(String name, String command, ExecutorParameters p, int attempts, ExecutorSettings settings) {
        return Attempts.runOne(engine, name, command, p, attempts, settings);
    }

    @Test
    void aJobOverItsHrtIsARuntimeResourceErrorRetriedWithMoreRuntime() throws Exception {
        WorkflowRunResult r = runOne("over_h_rt", "sleep 6", ExecutorParameters.builder().mMemFree("200M").maxRuntimeSeconds(3)
                .resourceScale("max_runtime_seconds", 2.0).build(), 3, sge(Map.of()));

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).extracting(Attempt::status).containsExactly('Z', 'D');
        assertThat(all.get(0).error()).contains("runtime").contains("h_rt").contains("resources adjusted for the retry");
        assertThat(SgeCell.qacct(all.get(1).executorId())).as("the retry asked for 3 s * (1 + 2)").contains("h_rt=9");
    }

    @Test
    void processesTogetherOverHvmemAreAMemoryResourceErrorRetriedWithMoreMemory() throws Exception {
        String hog = "python3 -c 'b = bytearray(120 * 2**20); import time; time.sleep(6)'";
        WorkflowRunResult r = runOne("over_h_vmem", hog + " & " + hog + " & wait", ExecutorParameters.builder().mMemFree("200M")
                .maxRuntimeSeconds(60).resourceScale("m_mem_free", 3.0).build(), 3, sge(Map.of()));

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).extracting(Attempt::status).containsExactly('Z', 'D');
        assertThat(all.get(0).error()).contains("memory");
        assertThat(SgeCell.qacct(all.get(1).executorId())).contains("h_vmem=800M");
    }

    @Test
    void aJobDeletedFromOutsideIsRetriedAndNotTakenForAResourceKill() throws Exception {
        Path marker = dir.resolve("second-attempt");
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runOne("qdeled", "if [ -f " + marker + " ]; then exit 0; fi; touch " + marker + "; sleep 120",
                        ExecutorParameters.builder().mMemFree("200M").maxRuntimeSeconds(300).build(), 3, sge(Map.of()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!java.nio.file.Files.exists(marker) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(marker).as("the first attempt runs").exists();
        String job = engine.database().jdbi().withHandle(h -> h.createQuery("SELECT executor_id FROM task_instance").mapTo(String.class).one());
        assertThat(SgeCell.run("qdel", job).ok()).isTrue();

        WorkflowRunResult r = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).extracting(Attempt::status).containsExactly('E', 'D');
        assertThat(all.get(0).error()).contains("killed by a signal").doesNotContain("resource error");
    }

    @Test
    void anImpossibleRequestEndsItsTaskWithGridEnginesReasonWithoutHanging() throws Exception {
        WorkflowRunResult r = runOne("impossible", "true", ExecutorParameters.builder().mMemFree("900G").maxRuntimeSeconds(60).build(),
                2, sge(Map.of()));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        List<Attempt> all = instances(r.workflowId());
        assertThat(all).hasSize(2).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo('W');
            assertThat(i.error()).contains("no suitable queues");
        });
    }

    @Test
    void aHeldJobIsEndedWithItsReasonAfterTheNeverStartedDeadline() throws Exception {
        engine.close();
        engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(2)).withMaxCycleWait(Duration.ofMillis(200))
                        .withNeverStartedDeadline(Duration.ofSeconds(4)))
                .build();
        WorkflowRunResult r = runOne("held", "true", ExecutorParameters.builder().mMemFree("200M").maxRuntimeSeconds(60).build(), 1,
                sge(Map.of("qsub_args", "-h")));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        Attempt held = instances(r.workflowId()).get(0);
        assertThat(held.status()).isEqualTo('X');
        assertThat(held.error()).contains("on hold in Grid Engine (state hqw)").contains("never started");
        assertThat(SgeCell.run("qstat", "-j", held.executorId()).ok()).as("the held job was deleted").isFalse();
    }

    /** Two phases: 2 tasks of {@code sleep}, then 2 more after them. */
    private Workflow twoPhases(String name, int sleep) {
        Tool tool = Tool.create(name);
        TaskTemplate a = tool.getTaskTemplate("a", "sleep " + sleep + "; echo {n}", List.of("n"), List.of(), List.of());
        TaskTemplate b = tool.getTaskTemplate("b", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow(name).setExecutor(sge(Map.of()));
        ExecutorParameters p = ExecutorParameters.builder().mMemFree("200M").maxRuntimeSeconds(120).build();
        List<Task> first = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Task t = a.createTask().arg("n", i).maxAttempts(1).executorParameters(p).build();
            first.add(t);
            wf.addTask(t);
        }
        for (int i = 0; i < 2; i++) {
            wf.addTask(b.createTask().arg("n", i).maxAttempts(1).upstreams(first).executorParameters(p).build());
        }
        return wf;
    }

    @Test
    void aQmasterDownFor15SecondsSpendsNoAttemptWhetherItIsDownAtSubmissionOrWhileJobsRun() throws Exception {
        // down when the run submits: refused for now, submitted again once it is back
        SgeCell.stopQmaster();
        var down = java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.run(twoPhases("qmaster_down_at_start", 1),
                RunOptions.defaults().withSecondsUntilTimeout(600)));
        Thread.sleep(15_000); // the outage itself
        SgeCell.startQmaster();
        WorkflowRunResult r = down.get(300, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(instances(r.workflowId())).as("one attempt per task: the outage cost none").hasSize(4)
                .allSatisfy(i -> assertThat(i.status()).isEqualTo('D'));

        // down while the first phase runs: polls fail, the jobs go on, their results are taken when it is back
        var during = java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.run(twoPhases("qmaster_down_while_running", 5),
                RunOptions.defaults().withSecondsUntilTimeout(600)));
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (engine.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM task_instance ti JOIN task t ON t.id = ti.task_id "
                + "JOIN workflow w ON w.id = t.workflow_id WHERE w.name = 'qmaster_down_while_running' AND ti.executor_id IS NOT NULL")
                .mapTo(Integer.class).one()) < 2 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        SgeCell.stopQmaster();
        Thread.sleep(15_000); // the outage itself
        SgeCell.startQmaster();
        WorkflowRunResult r2 = during.get(300, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r2.status()).as(r2.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(instances(r2.workflowId())).hasSize(4).allSatisfy(i -> assertThat(i.status()).isEqualTo('D'));
    }

    @Test
    void a200TaskPhaseIsSubmittedWithAFewQsubCallsAndPolledWithOneQstatPerPoll() throws Exception {
        Tool tool = Tool.create("wide");
        TaskTemplate t = tool.getTaskTemplate("w", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("wide").setExecutor(sge(Map.of()));
        ExecutorParameters p = ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build();
        for (int i = 0; i < 200; i++) {
            wf.addTask(t.createTask().arg("n", i).executorParameters(p).build());
        }
        long start = System.nanoTime();
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(900));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(instances(r.workflowId())).hasSize(200);
        long qsub = SgeCell.calls(bin, "qsub");
        long qstat = SgeCell.calls(bin, "qstat");
        System.out.printf("200 tasks on Grid Engine: %.1f s, %d qsub, %d qstat, %d qacct%n", seconds, qsub, qstat,
                SgeCell.calls(bin, "qacct"));
        assertThat(qsub).isLessThanOrEqualTo(10);
        assertThat(qstat).as("one qstat per poll (1 s) for all 200 jobs, not one per job").isLessThanOrEqualTo((long) seconds + 3);
        assertThat(SgeCell.calls(bin, "qacct")).as("exit records answer for jobs that exited 0").isZero();
    }

    @Test
    void aJobGridEngineCannotRunIsDeletedAndItsTaskSaysWhy() throws Exception {
        // the user's own -o wins over Jobmon's: Grid Engine cannot open it and puts the job in Eqw
        WorkflowRunResult r = runOne("eqw", "true", ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build(), 1,
                sge(Map.of("qsub_args", "-o /nonexistent/dir/out")));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        Attempt eqw = instances(r.workflowId()).get(0);
        assertThat(eqw.status()).isEqualTo('E');
        assertThat(eqw.error()).contains("error state (Eqw)").contains("/nonexistent/dir/out").contains("deleted");
        assertThat(SgeCell.run("qstat", "-j", eqw.executorId()).ok()).as("the job was deleted").isFalse();
    }

    @Test
    void anUnknownSettingIsRefusedBeforeAnythingIsWrittenAndTheFixedWorkflowRunsWithoutAResume() throws Exception {
        ExecutorParameters p = ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(60).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runOne("setting", "true", p, 1, sge(Map.of("slots", "2"))))
                .isInstanceOf(org.jobmon.api.JobmonException.class).hasMessageContaining("the sge executor has no setting slots")
                .hasMessageContaining("qsub_args");
        int workflows = engine.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM workflow").mapTo(Integer.class).one());
        assertThat(workflows).as("nothing written").isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runOne("setting", "true",
                ExecutorParameters.builder().mMemFree("100M").maxRuntimeSeconds(400 * 3600).build(), 1, sge(Map.of())))
                .hasMessageContaining("max_runtime_seconds 1440000").hasMessageContaining("no queue of this cluster allows it");
        assertThat(runOne("setting", "true", p, 1, sge(Map.of())).status()).isEqualTo(WorkflowRunStatus.DONE);
    }
}
