package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop whose instances outlive the grace period records them as left running instead of pretending they ended. */
class StopGraceTest {
    @TempDir
    Path dir;

    /** Instances that start at once and never end, whatever they are told (a cluster that ignores qdel). */
    static final class DeafExecutorFactory implements ExecutorFactory {
        @Override
        public String name() {
            return "deaf";
        }

        @Override
        public Executor create(ExecutorContext context) {
            return new Executor() {
                @Override
                public List<Submission> submit(List<InstanceRequest> batch) {
                    for (InstanceRequest r : batch) {
                        context.events().accept(new InstanceEvent.Started(r.taskInstanceId(), "deaf-" + r.taskInstanceId(), "node9",
                                java.util.OptionalLong.empty()));
                    }
                    return batch.stream().map(r -> Submission.accepted(r.taskInstanceId(), "deaf-" + r.taskInstanceId())).toList();
                }

                @Override
                public Map<String, JobState> poll(Collection<String> executorIds) {
                    Map<String, JobState> m = new java.util.HashMap<>();
                    executorIds.forEach(id -> m.put(id, JobState.RUNNING));
                    return m;
                }

                @Override
                public void terminate(Collection<String> executorIds) {
                    // deaf
                }

                @Override
                public ExitInfo exitInfo(String executorId) {
                    return ExitInfo.lost("unknown");
                }
            };
        }
    }

    @Test
    void instancesThatDoNotEndWithinTheGracePeriodAreRecordedAsLeftRunning() throws Exception {
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db")))
                .workRoot(dir.resolve("runs")).executorFactories(List.of(new DeafExecutorFactory()))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(100))).build()) {
            Tool tool = Tool.create("grace");
            TaskTemplate t = tool.getTaskTemplate("t", "sleep {n}", List.of("n"), List.of(), List.of());
            Workflow wf = tool.createWorkflow("grace").setExecutor(ExecutorSettings.of("deaf"))
                    .addTask(t.createTask().arg("n", 1000).build());
            RunControl control = new RunControl();
            CompletableFuture<WorkflowRunResult> run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults(),
                    control));
            Jdbi jdbi = engine.database().jdbi();
            ReliabilityTest.await("the instance to run", () -> DatabaseFaultTest.count(jdbi,
                    "SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
            assertThat(control.stop("the test stops it")).isTrue();

            WorkflowRunResult r = run.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(WorkflowRunStatus.STOPPED);
            assertThat(r.message()).contains("1 did not end within 10 s (left running)");
            assertThat(DatabaseFaultTest.count(jdbi, "SELECT count(*) FROM task_instance WHERE status = 'R'"))
                    .as("the instance, recorded as what it is: still running").isEqualTo(1);
            String log = jdbi.withHandle(h -> h.createQuery("SELECT description FROM task_instance_error_log").mapTo(String.class).one());
            assertThat(log).contains("the run ended while this instance was still running").contains("left as it is");
        }
    }
}
