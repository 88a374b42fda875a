package org.jobmon.samples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.samples.SampleEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin as Jobmon sees it: found by ServiceLoader, its settings checked before a run, a whole run. */
class LowPriorityExecutorTest {
    @TempDir
    Path dir;

    @Test
    void serviceLoaderFindsThePlugin() {
        List<String> names = ServiceLoader.load(ExecutorFactory.class).stream().map(p -> p.get().name()).toList();
        assertThat(names).contains("lowpriority");
    }

    @Test
    void anEngineThatDiscoversItsExecutorsRunsAWorkflowOnTheLowPriorityExecutor() throws Exception {
        Tool tool = Tool.create("plugin_test");
        TaskTemplate shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
        Path logs = dir.resolve("logs");
        Workflow wf = tool.createWorkflow("on_lowpriority").setExecutor("lowpriority");
        wf.setExecutor(wf.executor().withStdout(logs).withStderr(logs).withWorkingDir(Files.createDirectories(dir.resolve("work"))));
        var first = shell.createTask().name("first").arg("cmd", "echo one > first.txt").build();
        wf.addTask(first);
        wf.addTask(shell.createTask().name("niceness").arg("cmd", "cat first.txt; nice").upstream(first).build());

        // No executorFactories(...): the engine finds the plugin with ServiceLoader, like in production.
        try (SampleEngine engine = new SampleEngine(dir)) {
            WorkflowRunResult r = engine.engine().run(wf, RunOptions.defaults());

            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
            List<String> types = engine.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT i.executor_type FROM task_instance i "
                    + "JOIN task t ON t.id = i.task_id WHERE t.workflow_id = :w").bind("w", r.workflowId()).mapTo(String.class).list());
            assertThat(types).containsExactly("lowpriority");
            assertThat(engine.number("SELECT count(*) FROM task_instance i JOIN task t ON t.id = i.task_id WHERE t.workflow_id = ? "
                    + "AND i.status = 'D' AND i.executor_id LIKE 'local-%' AND i.nodename IS NOT NULL", r.workflowId())).isEqualTo(2);
        }
        String stdout;
        try (Stream<Path> files = Files.list(logs)) {
            stdout = Files.readString(files.filter(f -> f.getFileName().toString().startsWith("niceness.o")).findFirst().orElseThrow());
        }
        assertThat(stdout.lines().toList()).containsExactly("one", Integer.toString(expectedNiceness()));
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingIsWrittenAndTheFixedWorkflowRuns() {
        try (SampleEngine engine = new SampleEngine(dir)) {
            for (Map.Entry<String, String> bad : List.of(Map.entry("slot", "4"), Map.entry("slots", "0"), Map.entry("niceness", "40"))) {
                Workflow wf = workflow("settings", ExecutorSettings.of("lowpriority").withExtra(Map.ofEntries(bad)));
                assertThatThrownBy(() -> engine.engine().run(wf, RunOptions.defaults())).isInstanceOf(JobmonException.class)
                        .hasMessageContaining(bad.getKey()).satisfies(e -> assertThat(((JobmonException) e).code())
                                .isEqualTo(JobmonException.ErrorCode.INVALID_ARGUMENT));
                assertThat(engine.number("SELECT count(*) FROM workflow")).as("workflows after %s", bad).isZero();
            }
            Workflow fixed = workflow("settings", ExecutorSettings.of("lowpriority").withExtra(Map.of("slots", "4", "niceness", "19")));
            assertThat(engine.engine().run(fixed, RunOptions.defaults()).status()).isEqualTo(WorkflowRunStatus.DONE);
        }
    }

    private static Workflow workflow(String args, ExecutorSettings settings) {
        Tool tool = Tool.create("plugin_settings");
        TaskTemplate shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("settings").workflowArgs(args).setExecutor(settings);
        wf.addTask(shell.createTask().arg("cmd", "true").build());
        return wf;
    }

    /** This JVM's niceness plus 10, capped at 19: what {@code nice -n 10} gives. */
    private static int expectedNiceness() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nice").start();
        int own = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        p.waitFor();
        return Math.min(19, own + 10);
    }
}
