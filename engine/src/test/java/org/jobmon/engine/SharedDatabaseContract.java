package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.executor.local.SequentialExecutorFactory;
import org.jobmon.executor.multiprocess.MultiprocessExecutorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several controllers on one database at once, as a team's shared MariaDB (or a script starting
 * several workflows on the embedded database) sees them: each engine here stands for a process.
 */
abstract class SharedDatabaseContract {
    @TempDir
    Path dir;

    /** A URL of a fresh database, the same for every engine of one test. */
    abstract String freshUrl();

    private JobmonEngine engine(String url) {
        return JobmonEngine.builder().databaseUrl(url).workRoot(dir.resolve("runs"))
                .executorFactories(List.of(new SequentialExecutorFactory(), new MultiprocessExecutorFactory()))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(1))
                        .withInstanceHeartbeat(Duration.ofMillis(500)).withMaxCycleWait(Duration.ofMillis(100)))
                .build();
    }

    /** Runs {@code work} on {@code n} threads released at the same moment; returns each one's result or exception. */
    private static List<Object> atOnce(int n, Function<Integer, Object> work) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        barrier.await(30, TimeUnit.SECONDS);
                        return work.apply(k);
                    } catch (RuntimeException e) {
                        return e;
                    } catch (Exception e) {
                        return new IllegalStateException(e);
                    }
                }, pool));
            }
            List<Object> out = new ArrayList<>();
            for (CompletableFuture<Object> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Workflow counted(Tool tool, String args, int tasks) {
        TaskTemplate step = tool.getTaskTemplate("step", "test -f ok && echo x >> ran/{i}", List.of("i"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("shared").workflowArgs(args)
                .setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir));
        for (int i = 0; i < tasks; i++) {
            wf.addTask(step.createTask().arg("i", args + "_" + i).maxAttempts(1).build());
        }
        return wf;
    }

    @Test
    void firstBindsOfANewToolFromSeveralControllersAtOnceMakeOneToolVersion() throws Exception {
        String url = freshUrl();
        Files.createDirectories(dir.resolve("ran"));
        Files.createFile(dir.resolve("ok"));
        List<JobmonEngine> engines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            engines.add(engine(url));
        }
        try {
            List<Object> results = atOnce(4, k -> engines.get(k).run(counted(Tool.create("brand_new_tool"), "wf" + k, 20),
                    RunOptions.defaults()));
            for (Object r : results) {
                assertThat(r).isInstanceOf(WorkflowRunResult.class);
                assertThat(((WorkflowRunResult) r).status()).isEqualTo(WorkflowRunStatus.DONE);
            }
            Jdbi jdbi = engines.get(0).database().jdbi();
            assertThat(count(jdbi, "SELECT count(*) FROM tool_version"))
                    .as("tool versions").isEqualTo(1);
            assertThat(count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'D'")).isEqualTo(80);
        } finally {
            engines.forEach(JobmonEngine::close);
        }
    }

    @Test
    void twoResumesOfOneWorkflowAtOnceRunItOnce() throws Exception {
        String url = freshUrl();
        Files.createDirectories(dir.resolve("ran"));
        int n = 12;
        try (JobmonEngine first = engine(url)) {
            WorkflowRunResult failed = first.run(counted(Tool.create("resumed_tool"), "resume_me", n), RunOptions.defaults());
            assertThat(failed.status()).isEqualTo(WorkflowRunStatus.ERROR);
        }
        Files.createFile(dir.resolve("ok"));
        JobmonEngine a = engine(url);
        JobmonEngine b = engine(url);
        try {
            List<JobmonEngine> engines = List.of(a, b);
            List<Object> results = atOnce(2, k -> engines.get(k).run(counted(Tool.create("resumed_tool"), "resume_me", n),
                    RunOptions.defaults().withResume(true)));
            long done = results.stream().filter(r -> r instanceof WorkflowRunResult w && w.status() == WorkflowRunStatus.DONE)
                    .count();
            assertThat(done).as("runs that ended DONE: " + results).isEqualTo(1);
            java.util.Optional<Object> refused = results.stream().filter(r -> !(r instanceof WorkflowRunResult)).findFirst();
            if (refused.isPresent()) {
                // both claimed the workflow while it was being started: one was refused and nothing ran twice
                assertThat(refused.get()).isInstanceOf(JobmonException.class);
                assertThat(((JobmonException) refused.get()).getMessage()).containsAnyOf("is being started or resumed right now",
                        "WorkflowAlreadyComplete");
                for (int i = 0; i < n; i++) {
                    assertThat(Files.readAllLines(dir.resolve("ran").resolve("resume_me_" + i))).as("runs of task " + i).hasSize(1);
                }
            } else {
                // the second came once the first was running: a resume then takes the workflow over (its running
                // attempts killed and run again), so the two runs are one after the other, never side by side
                assertThat(results).as("one run handed over to the other: " + results).anySatisfy(r -> {
                    assertThat(((WorkflowRunResult) r).status()).isEqualTo(WorkflowRunStatus.TERMINATED);
                    assertThat(((WorkflowRunResult) r).message()).contains("another process resumed the workflow");
                });
                Jdbi jdbi = a.database().jdbi();
                assertThat(count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'D'")).as("each task DONE once").isEqualTo(n);
                assertThat(count(jdbi, "SELECT count(DISTINCT task_id) FROM task_instance WHERE status = 'D'")).isEqualTo(n);
                for (int i = 0; i < n; i++) {
                    assertThat(Files.readAllLines(dir.resolve("ran").resolve("resume_me_" + i)).size()).as("runs of task " + i)
                            .isBetween(1, 2);
                }
            }
        } finally {
            a.close();
            b.close();
        }
    }

    static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
