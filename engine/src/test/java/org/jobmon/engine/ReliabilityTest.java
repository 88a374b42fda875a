package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic resources and KILL_SELF, under both local executors. */
class ReliabilityTest {
    @TempDir
    Path dir;
    JobmonEngine engine;
    Jdbi jdbi;
    Tool tool;
    TaskTemplate shell;

    @BeforeEach
    void open() {
        engine = EngineFixture.fastHeartbeatEngine(dir);
        jdbi = engine.database().jdbi();
        tool = Tool.create("reliability");
        shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    Workflow workflow(String executor) {
        return tool.createWorkflow("wf").setExecutor(ExecutorSettings.of(executor).withWorkingDir(dir));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "multiprocess"})
    void aResourceFunctionReadsWhatItsUpstreamWroteAndAThrowingOneFailsOnlyItsTask(String executor) {
        Task writer = shell.createTask().arg("cmd", "printf 'm_mem_free=300M\\nnum_cores=1\\nmax_runtime_seconds=77\\n' > res.txt")
                .maxAttempts(1).build();
        Task reader = shell.createTask().arg("cmd", "echo reader").maxAttempts(1).upstream(writer)
                .executorParameters(task -> {
                    Properties p = new Properties();
                    try (var in = Files.newBufferedReader(dir.resolve("res.txt"))) {
                        p.load(in);
                    }
                    return ExecutorParameters.builder().mMemFree(p.getProperty("m_mem_free"))
                            .numCores(p.getProperty("num_cores")).maxRuntime(p.getProperty("max_runtime_seconds")).build();
                }).build();
        Task broken = shell.createTask().arg("cmd", "echo broken").maxAttempts(2).upstream(writer)
                .executorParameters(task -> {
                    throw new IllegalStateException("no resources file for " + task.name());
                }).build();
        Task independent = shell.createTask().arg("cmd", "echo fine").maxAttempts(1).build();
        WorkflowRunResult r = engine.run(workflow(executor).addTasks(List.of(writer, reader, broken, independent)),
                RunOptions.defaults());

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.done()).isEqualTo(3);
        assertThat(r.fatal()).isEqualTo(1);
        Map<String, Object> validated = jdbi.withHandle(h -> h.createQuery("SELECT p.m_mem_free_mib, p.max_runtime_seconds "
                + "FROM executor_parameter_set p JOIN task t ON t.id = p.task_id WHERE t.name = :n AND p.parameter_set_type = 'V'")
                .bind("n", reader.name()).mapToMap().one());
        assertThat(validated).containsEntry("m_mem_free_mib", 300L).containsEntry("max_runtime_seconds", 77L);
        String log = jdbi.withHandle(h -> h.createQuery("SELECT l.description FROM task_instance_error_log l JOIN task_instance i "
                + "ON i.id = l.task_instance_id JOIN task t ON t.id = i.task_id WHERE t.name = :n").bind("n", broken.name())
                .mapTo(String.class).one());
        assertThat(log).contains("resource function").contains("no resources file for " + broken.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "multiprocess"})
    void killSelfEndsARunningInstanceWithinOneHeartbeat(String executor) throws Exception {
        Task sleeper = shell.createTask().arg("cmd", "sleep 60").maxAttempts(1).build();
        Workflow wf = workflow(executor).addTask(sleeper);
        CompletableFuture<WorkflowRunResult> run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults()));
        await("the instance to run", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
        long pid = count("SELECT process_group_id FROM task_instance WHERE status = 'R'");
        jdbi.useHandle(h -> h.execute("UPDATE task_instance SET status = 'K' WHERE status = 'R'"));
        long ordered = System.nanoTime();

        WorkflowRunResult r = run.get(20, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - ordered) / 1e9).as("seconds to end it").isLessThan(2.0);
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'F'")).isEqualTo(1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process " + pid + " alive").isFalse();
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @org.junit.jupiter.api.Test
    void aRunMarkedErrorByAnotherProcessStopsSchedulingAndKeepsThatStatus() throws Exception {
        Task first = shell.createTask().arg("cmd", "sleep 2").maxAttempts(1).build();
        Task second = shell.createTask().arg("cmd", "touch second_ran").maxAttempts(1).upstream(first).build();
        Workflow wf = workflow("multiprocess").addTasks(List.of(first, second));
        CompletableFuture<WorkflowRunResult> run = CompletableFuture.supplyAsync(() -> engine.run(wf, RunOptions.defaults()));
        await("the first task to run", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
        // what a status command does to a run whose controller was paused past its expiry
        jdbi.useHandle(h -> h.execute("UPDATE workflow_run SET status = 'E'"));

        WorkflowRunResult r = run.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.message()).contains("another process marked it ERROR");
        assertThat(dir.resolve("second_ran")).doesNotExist();
        assertThat(count("SELECT count(*) FROM workflow_run WHERE status = 'E'")).isEqualTo(1);
    }
}
