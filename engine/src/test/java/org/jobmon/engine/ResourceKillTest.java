package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's "workflow that adjusts the resources of a task", at test scale, on one machine: the
 * local executors enforce runtime and memory, and the engine scales what ran out.
 */
class ResourceKillTest {
    /** Holds about 286 MiB: tail keeps all of a newline-free input in memory. */
    static final String ALLOCATE_300MB = "head -c 300000000 /dev/zero | tail > /dev/null";

    @TempDir
    Path dir;
    JobmonEngine engine;
    Jdbi jdbi;
    TaskTemplate shell;
    Tool tool;

    @BeforeEach
    void open() {
        engine = EngineFixture.fastHeartbeatEngine(dir);
        jdbi = engine.database().jdbi();
        tool = Tool.create("resources");
        shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    WorkflowRunResult run(String executor, Task task) {
        return engine.run(tool.createWorkflow("wf").setExecutor(ExecutorSettings.of(executor).withWorkingDir(dir)
                .withExtra(Map.of("local.monitor_interval_ms", "100"))).addTask(task), RunOptions.defaults());
    }

    List<Map<String, Object>> rows(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapToMap().list());
    }

    List<String> errorLogs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT description FROM task_instance_error_log ORDER BY id").mapTo(String.class).list());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "multiprocess"})
    void aTaskKilledForRuntimeIsRetriedWithScaledRuntimeAndEndsDone(String executor) {
        Task sleepy = shell.createTask().arg("cmd", "sleep 3").maxAttempts(2).executorParameters(ExecutorParameters.builder()
                .maxRuntimeSeconds(2).resourceScales(Map.of("max_runtime_seconds", 0.6, "m_mem_free", 0.6)).build()).build();
        WorkflowRunResult r = run(executor, sleepy);

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(rows("SELECT status FROM task_instance ORDER BY id")).extracting(m -> m.get("status"))
                .containsExactly("Z", "D");
        assertThat(errorLogs()).singleElement().asString().contains("runtime").contains("max_runtime_seconds 2 -> 4");
        assertThat(rows("SELECT parameter_set_type AS t, max_runtime_seconds AS s FROM executor_parameter_set ORDER BY id"))
                .extracting(m -> m.get("t") + ":" + m.get("s")).containsExactly("O:2", "V:2", "A:4");
        assertThat(rows("SELECT t.status FROM task t")).extracting(m -> m.get("status")).containsExactly("D");
        List<String> transitions = jdbi.withHandle(h -> h.createQuery("SELECT new_status FROM task_status_audit ORDER BY id")
                .mapTo(String.class).list());
        assertThat(transitions).containsSubsequence("R", "E", "A", "Q", "I", "R", "D");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "multiprocess"})
    void aTaskKilledForMemoryIsRetriedWithScaledMemoryAndEndsDone(String executor) {
        Task hungry = shell.createTask().arg("cmd", ALLOCATE_300MB).maxAttempts(3).executorParameters(ExecutorParameters.builder()
                .mMemFree("100M").resourceScales(Map.of("m_mem_free", 2.0)).build()).build();
        WorkflowRunResult r = run(executor, hungry);

        assertThat(r.status()).as(r.message() + " " + errorLogs()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(errorLogs().get(0)).contains("memory").contains("m_mem_free 100M -> 300M");
        List<Long> adjusted = jdbi.withHandle(h -> h.createQuery("SELECT m_mem_free_mib FROM executor_parameter_set "
                + "WHERE parameter_set_type = 'A' ORDER BY id").mapTo(Long.class).list());
        assertThat(adjusted).isNotEmpty().startsWith(300L);
        assertThat(adjusted).isSubsetOf(300L, 900L);
        assertThat(rows("SELECT maxrss_bytes FROM task_instance WHERE status = 'D'")).singleElement()
                .satisfies(m -> assertThat(((Number) m.get("maxrss_bytes")).longValue()).as("sampled every 100 ms, so below the ~286 MiB peak").isGreaterThan(100_000_000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "multiprocess"})
    void aTaskThatAlwaysOutgrowsItsMemoryIsFatalWithMemoryInItsErrorLog(String executor) {
        Task hungry = shell.createTask().arg("cmd", ALLOCATE_300MB).maxAttempts(3).executorParameters(ExecutorParameters.builder()
                .mMemFree("50M").resourceScales(Map.of("m_mem_free", 0.5)).build()).build();
        WorkflowRunResult r = run(executor, hungry);

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(rows("SELECT status FROM task")).extracting(m -> m.get("status")).containsExactly("F");
        assertThat(rows("SELECT status FROM task_instance ORDER BY id")).extracting(m -> m.get("status"))
                .containsExactly("Z", "Z", "Z");
        assertThat(errorLogs()).hasSize(3).allSatisfy(log -> assertThat(log).contains("memory"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "multiprocess"})
    void anAttemptKilledFromOutsideIsRetriedAndTheWorkflowEndsDone(String executor) throws Exception {
        Task once = shell.createTask().arg("cmd", "if [ -f killed_once ]; then exit 0; fi; touch killed_once; sleep 60")
                .maxAttempts(2).build();
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> run(executor, once));
        ReliabilityTest.await("the first attempt to run", () -> jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM task_instance WHERE status = 'R'").mapTo(Integer.class).one()) == 1);
        // the attempt is RUNNING once its process exists, which may be before its command marked the first attempt
        ReliabilityTest.await("the first attempt's mark", () -> java.nio.file.Files.exists(dir.resolve("killed_once")));
        long pid = jdbi.withHandle(h -> h.createQuery("SELECT process_group_id FROM task_instance WHERE status = 'R'")
                .mapTo(Long.class).one());
        ProcessHandle wrapper = ProcessHandle.of(pid).orElseThrow();
        wrapper.descendants().forEach(ProcessHandle::destroyForcibly);
        wrapper.destroyForcibly();

        WorkflowRunResult r = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(rows("SELECT status FROM task_instance ORDER BY id")).extracting(m -> m.get("status"))
                .containsExactly("E", "D");
        assertThat(errorLogs()).singleElement().asString().contains("outside");
    }
}
