package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances a polling executor accepts but never starts, or loses, are caught by reconciliation. */
class NoHeartbeatTest {
    /** A fake platform that accepts everything and then forgets it: nothing ever runs. */
    static final class ForgetfulExecutorFactory implements ExecutorFactory {
        @Override
        public String name() {
            return "forgetful";
        }

        @Override
        public Executor create(ExecutorContext context) {
            return new Executor() {
                @Override
                public List<Submission> submit(List<InstanceRequest> batch) {
                    return batch.stream().map(r -> Submission.accepted(r.taskInstanceId(), "job-" + r.taskInstanceId())).toList();
                }

                @Override
                public Map<String, JobState> poll(Collection<String> executorIds) {
                    return Map.of();
                }

                @Override
                public void terminate(Collection<String> executorIds) {
                }

                @Override
                public ExitInfo exitInfo(String executorId) {
                    return ExitInfo.lost("the platform has no record of " + executorId);
                }
            };
        }
    }

    @Test
    void anInstanceSubmittedButNeverStartedIsNoHeartbeatAndRetried(@TempDir Path dir) {
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db")))
                .workRoot(dir.resolve("runs")).executorFactories(List.of(new ForgetfulExecutorFactory()))
                .config(EngineConfig.defaults().withInstanceHeartbeat(Duration.ofMillis(200)).withMaxCycleWait(Duration.ofMillis(50)))
                .build()) {
            Tool tool = Tool.create("forgetful");
            TaskTemplate tt = tool.getTaskTemplate("t", "echo {i}", List.of("i"), List.of(), List.of());
            Workflow wf = tool.createWorkflow("wf").setExecutor("forgetful").addTask(tt.createTask().arg("i", 1).maxAttempts(2).build());
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(30));

            assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
            assertThat(r.fatal()).isEqualTo(1);
            List<String> statuses = engine.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT status FROM task_instance ORDER BY id").mapTo(String.class).list());
            assertThat(statuses).containsExactly("X", "X");
            List<String> logs = engine.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT description FROM task_instance_error_log ORDER BY id").mapTo(String.class).list());
            assertThat(logs).allSatisfy(l -> assertThat(l).contains("never reported that it started"));
        }
    }
}
