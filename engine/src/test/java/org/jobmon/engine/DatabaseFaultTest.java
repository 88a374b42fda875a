package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.executor.local.SequentialExecutorFactory;
import org.jobmon.executor.multiprocess.MultiprocessExecutorFactory;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A run rides out database failures at any point of its loop: connection errors, deadlocks and
 * serialization failures retry the cycle's work, and a commit whose acknowledgement was lost is not
 * written twice. Every task runs exactly once and the run ends DONE.
 */
class DatabaseFaultTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} at calls {1}..{1}+{2}")
    @CsvSource({
        "CONNECTION, 1, 3", "CONNECTION, 25, 5", "CONNECTION, 60, 8",
        "DEADLOCK, 3, 2", "DEADLOCK, 45, 4",
        "SERIALIZATION, 10, 3", "SERIALIZATION, 70, 3",
        "LOST_ACK, 1, 1", "LOST_ACK, 4, 2", "LOST_ACK, 9, 3"})
    void theRunEndsDoneWithEveryTaskRunOnce(FaultyDataSource.Fault fault, long from, long count) throws Exception {
        FaultyDataSource faulty = new FaultyDataSource(fault, from, count);
        Files.createDirectories(dir.resolve("ran"));
        int n = 24;
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db")))
                .workRoot(dir.resolve("runs")).wrapDataSource(faulty::wrap)
                .executorFactories(List.of(new SequentialExecutorFactory(), new MultiprocessExecutorFactory()))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(1))
                        .withInstanceHeartbeat(Duration.ofMillis(500)).withMaxCycleWait(Duration.ofMillis(100))
                        .withOutageLimit(Duration.ofSeconds(20)))
                .build()) {
            Tool tool = Tool.create("faults");
            TaskTemplate step = tool.getTaskTemplate("step", "echo x >> ran/{i}", List.of("i"), List.of(), List.of());
            Workflow wf = tool.createWorkflow("faults").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir));
            Task previous = null;
            for (int i = 0; i < n; i++) {
                Task.Builder b = step.createTask().arg("i", i).maxAttempts(1);
                // a chain of pairs: many cycles, each with transitions to write
                Task t = (i % 2 == 1 && previous != null ? b.upstream(previous) : b).build();
                wf.addTask(t);
                previous = t;
            }
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults(), new RunListener() {
                @Override
                public void bound(long workflowId, long workflowRunId, int tasks, int previouslyDone) {
                    faulty.arm();
                }
            });

            faulty.disarm();
            assertThat(faulty.injected()).as("faults injected").isPositive();
            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
            for (int i = 0; i < n; i++) {
                assertThat(Files.readAllLines(dir.resolve("ran").resolve(Integer.toString(i)))).as("runs of task " + i).hasSize(1);
            }
            Jdbi jdbi = engine.database().jdbi();
            faulty.disarm();
            String notDone = jdbi.withHandle(h -> h.createQuery("SELECT i.id || ':' || i.status || ':' || t.status FROM task_instance i "
                    + "JOIN task t ON t.id = i.task_id WHERE i.status <> 'D'").mapTo(String.class).list()).toString();
            assertThat(count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'D'")).as("DONE instances; others: " + notDone)
                    .isEqualTo(n);
            assertThat(count(jdbi, "SELECT count(*) FROM task_instance"))
                    .as("instances (one per task)").isEqualTo(n);
            assertThat(count(jdbi, "SELECT count(*) FROM task_status_audit WHERE new_status = 'D'")).as("DONE transitions in the history, once each").isEqualTo(n);
        }
    }

    static int count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
