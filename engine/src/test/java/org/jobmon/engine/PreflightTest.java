package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.executor.local.SequentialExecutorFactory;
import org.jobmon.executor.multiprocess.MultiprocessExecutorFactory;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run the executor refuses (a bad setting, a request over every queue's limit) is refused before
 * anything is written; fixed, the same workflow runs DONE without a resume.
 */
class PreflightTest {
    @TempDir
    Path dir;
    JobmonEngine engine;

    /** The sequential executor on a platform whose only queue allows 100 s. */
    static final class ShortQueueFactory implements ExecutorFactory {
        private final SequentialExecutorFactory local = new SequentialExecutorFactory();

        @Override
        public String name() {
            return "shortqueue";
        }

        @Override
        public Preflight preflight(ExecutorSettings settings) {
            return r -> {
                if (r.maxRuntimeSeconds() > 100) {
                    throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, "max_runtime_seconds " + r.maxRuntimeSeconds()
                            + " is more than queue short.q allows (100 s)");
                }
                return r;
            };
        }

        @Override
        public Executor create(ExecutorContext context) {
            return local.create(context);
        }
    }

    @BeforeEach
    void open() {
        engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .executorFactories(List.of(new SequentialExecutorFactory(), new MultiprocessExecutorFactory(), new ShortQueueFactory()))
                .build();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private int rows(String table) {
        return engine.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    private Workflow workflow(ExecutorSettings settings, long runtime) {
        Tool tool = Tool.create("preflight");
        TaskTemplate t = tool.getTaskTemplate("t", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("preflight").workflowArgs("preflight").setExecutor(settings);
        for (int i = 0; i < 3; i++) {
            wf.addTask(t.createTask().arg("n", i).executorParameters(ExecutorParameters.builder().maxRuntimeSeconds(runtime).build())
                    .build());
        }
        return wf;
    }

    private void refusedThenFixed(Workflow bad, Workflow fixed, String message) {
        assertThatThrownBy(() -> engine.run(bad, RunOptions.defaults())).isInstanceOf(JobmonException.class).hasMessageContaining(message);
        for (String table : List.of("workflow", "workflow_run", "task", "task_instance", "tool_version")) {
            assertThat(rows(table)).as(table + " rows after a refused run").isZero();
        }
        assertThat(engine.run(fixed, RunOptions.defaults()).status()).as("fixed, it runs without a resume")
                .isEqualTo(WorkflowRunStatus.DONE);
    }

    @Test
    void zeroSlotsIsRefusedBeforeAnythingIsWritten() {
        ExecutorSettings multiprocess = ExecutorSettings.of("multiprocess");
        refusedThenFixed(workflow(multiprocess.withExtra(Map.of("slots", "0")), 60), workflow(multiprocess.withExtra(Map.of("slots", "2")), 60),
                "setting 'slots' is '0', which is not a whole number of slots");
    }

    @Test
    void anUnknownExecutorSettingIsRefusedNamingItAndTheKnownOnesBeforeAnythingIsWritten() {
        ExecutorSettings multiprocess = ExecutorSettings.of("multiprocess");
        refusedThenFixed(workflow(multiprocess.withExtra(Map.of("slot", "2")), 60), workflow(multiprocess.withExtra(Map.of("slots", "2")), 60),
                "the multiprocess executor has no setting slot: its settings are local.monitor_interval_ms, local.process_group, multiprocess.slots, slots");
        ExecutorSettings sequential = ExecutorSettings.of("sequential");
        assertThatThrownBy(() -> engine.run(workflow(sequential.withExtra(Map.of("slots", "2")), 60), RunOptions.defaults()))
                .hasMessageContaining("the sequential executor has no setting slots: its settings are local.monitor_interval_ms, local.process_group");
    }

    @Test
    void aRequestOverEveryQueuesLimitIsRefusedNamingTheTaskBeforeAnythingIsWritten() {
        ExecutorSettings shortQueue = ExecutorSettings.of("shortqueue");
        refusedThenFixed(workflow(shortQueue, 3600), workflow(shortQueue, 60), "task 't_0': max_runtime_seconds 3600 is more than queue short.q allows");
    }

    @Test
    void theEngineCreatesTheOutputFoldersAndOneItCannotCreateRefusesTheRunBeforeAnythingIsWritten() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("a_file"), "");
        ExecutorSettings sequential = ExecutorSettings.of("sequential");
        Path logs = dir.resolve("deep/logs/stdout");
        refusedThenFixed(workflow(sequential.withStdout(file.resolve("logs")), 60), workflow(sequential.withStdout(logs)
                .withStderr(dir.resolve("deep/logs/stderr")), 60), "the stdout folder " + file.resolve("logs") + " cannot be created");
        assertThat(logs).isDirectory();
        assertThat(dir.resolve("deep/logs/stderr")).isDirectory();
    }

    @Test
    void requestsMadeByADynamicResourcesFunctionAreCheckedWhenTheTaskIsReady() {
        Tool tool = Tool.create("preflight_dynamic");
        TaskTemplate t = tool.getTaskTemplate("t", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("dynamic").setExecutor(ExecutorSettings.of("shortqueue"));
        wf.addTask(t.createTask().arg("n", 1).maxAttempts(1).executorParameters(task -> ExecutorParameters.builder().maxRuntimeSeconds(60)
                .build()).build());
        assertThat(engine.run(wf, RunOptions.defaults()).status()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(Resources.SCALABLE).contains(Resources.MAX_RUNTIME_SECONDS);
    }
}
