package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.executor.local.SequentialExecutorFactory;
import org.jobmon.executor.multiprocess.MultiprocessExecutorFactory;
import org.jobmon.persistence.TestMariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database server goes away in the middle of a run and comes back: a MariaDB of the test's
 * own is killed and started again. Tasks keep running meanwhile; nothing runs twice, nothing is lost.
 */
class DatabaseOutageIT {
    @TempDir
    Path dir;

    private JobmonEngine engine(String url, Duration outageLimit) {
        return JobmonEngine.builder().databaseUrl(url).workRoot(dir.resolve("runs"))
                .executorFactories(List.of(new SequentialExecutorFactory(), new MultiprocessExecutorFactory()))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(10))
                        .withInstanceHeartbeat(Duration.ofSeconds(2)).withMaxCycleWait(Duration.ofMillis(200))
                        .withOutageLimit(outageLimit))
                .build();
    }

    private Workflow workflow(int n) throws Exception {
        Files.createDirectories(dir.resolve("ran"));
        Tool tool = Tool.create("outage");
        TaskTemplate step = tool.getTaskTemplate("step", "sleep 0.1; echo x >> ran/{i}", List.of("i"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("outage").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir));
        for (int i = 0; i < n; i++) {
            wf.addTask(step.createTask().arg("i", i).maxAttempts(1).build());
        }
        return wf;
    }

    private long doneFiles() throws Exception {
        try (var files = Files.list(dir.resolve("ran"))) {
            return files.count();
        }
    }

    @Test
    void aTwentySecondOutageInTheMiddleOfARunEndsDoneWithEveryTaskOnce() throws Exception {
        int n = 200;
        try (TestMariaDbServer server = TestMariaDbServer.start(Files.createDirectories(dir.resolve("mariadb")));
                JobmonEngine engine = engine(server.url(), Duration.ZERO)) {
            Workflow wf = workflow(n);
            CompletableFuture<WorkflowRunResult> run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults()));
            ReliabilityTest.await("a quarter of the tasks to finish", () -> {
                try {
                    return doneFiles() >= n / 4;
                } catch (Exception e) {
                    return false;
                }
            });
            server.stop();
            long down = System.nanoTime();
            Thread.sleep(20_000);
            server.startAgain();
            long outage = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down);

            WorkflowRunResult r = run.get(180, TimeUnit.SECONDS);
            assertThat(outage).isGreaterThanOrEqualTo(20);
            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
            for (int i = 0; i < n; i++) {
                assertThat(Files.readAllLines(dir.resolve("ran").resolve(Integer.toString(i)))).as("runs of task " + i).hasSize(1);
            }
            Jdbi jdbi = engine.database().jdbi();
            assertThat(DatabaseFaultTest.count(jdbi, "SELECT count(*) FROM task_instance")).as("attempts recorded").isEqualTo(n);
            assertThat(DatabaseFaultTest.count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'D' "
                    + "AND executor_id IS NOT NULL")).as("DONE attempts with their executor id").isEqualTo(n);
            assertThat(DatabaseFaultTest.count(jdbi, "SELECT count(*) FROM task WHERE status = 'D'")).isEqualTo(n);
        }
    }

    @Test
    void anOutageLongerThanTheLimitEndsTheRunErrorWithHowToResume() throws Exception {
        try (TestMariaDbServer server = TestMariaDbServer.start(Files.createDirectories(dir.resolve("mariadb")));
                JobmonEngine engine = engine(server.url(), Duration.ofSeconds(3))) {
            Workflow wf = workflow(100);
            CompletableFuture<WorkflowRunResult> run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults()));
            ReliabilityTest.await("some tasks to finish", () -> {
                try {
                    return doneFiles() >= 5;
                } catch (Exception e) {
                    return false;
                }
            });
            server.stop();
            WorkflowRunResult r = run.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
            assertThat(r.message()).contains("could not be reached").contains("resume the workflow");
            server.startAgain();
        }
    }
}
