package org.jobmon.samples.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
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
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.samples.SampleEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin as Jobmon sees it (discovery, a whole run) and the executor contract on its own. */
class LowPriorityExecutorTest {
    @TempDir
    Path dir;

    private final BlockingQueue<InstanceEvent> events = new LinkedBlockingQueue<>();
    private final List<Executor> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Executor::close);
    }

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
                    + "AND i.status = 'D' AND i.executor_id LIKE 'nice-%' AND i.nodename IS NOT NULL", r.workflowId())).isEqualTo(2);
        }
        String stdout;
        try (Stream<Path> files = Files.list(logs)) {
            stdout = Files.readString(files.filter(f -> f.getFileName().toString().startsWith("niceness.o")).findFirst().orElseThrow());
        }
        assertThat(stdout.lines().toList()).containsExactly("one", Integer.toString(expectedNiceness()));
    }

    @Test
    void aFailingCommandIsAnApplicationErrorWithItsStderrTail() throws Exception {
        Executor executor = executor(1);
        List<Submission> s = executor.submit(List.of(request(1, "echo starting; echo 'something broke' >&2; exit 3")));
        assertThat(s.get(0).executorId()).contains("nice-1");

        assertThat(next()).isInstanceOf(InstanceEvent.Started.class);
        InstanceEvent.Exited exited = (InstanceEvent.Exited) next();
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(exited.exit().exitCode()).hasValue(3);
        assertThat(exited.exit().stderrTail()).isEqualTo("something broke");
        assertThat(executor.exitInfo("nice-1")).isEqualTo(exited.exit());
        assertThat(executor.poll(List.of("nice-1"))).isEmpty();
    }

    @Test
    void terminateKillsARunningInstanceAndDropsAQueuedOne() throws Exception {
        Executor executor = executor(1);
        executor.submit(List.of(request(1, "sleep 60"), request(2, "touch should_not_exist")));
        InstanceEvent.Started started = (InstanceEvent.Started) next();
        assertThat(started.taskInstanceId()).isEqualTo(1);
        assertThat(executor.poll(List.of("nice-1", "nice-2", "nice-99")))
                .isEqualTo(Map.of("nice-1", JobState.RUNNING, "nice-2", JobState.QUEUED));

        executor.terminate(List.of("nice-2", "nice-1"));

        List<InstanceEvent> ends = List.of(next(), next());
        assertThat(ends).allSatisfy(e -> assertThat(((InstanceEvent.Exited) e).exit().kind()).isEqualTo(ExitKind.KILLED));
        assertThat(ends).extracting(InstanceEvent::taskInstanceId).containsExactlyInAnyOrder(1L, 2L);
        assertThat(events).as("one end per instance").isEmpty();
        assertThat(ProcessHandle.of(started.pid().getAsLong()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        assertThat(executor.poll(List.of("nice-1", "nice-2"))).isEmpty();
        assertThat(executor.exitInfo("nice-2").message()).contains("before it started");
        assertThat(executor.exitInfo("nice-99").kind()).isEqualTo(ExitKind.LOST);
        assertThat(dir.resolve("should_not_exist")).doesNotExist();
    }

    @Test
    void aBadThreadsSettingIsRefusedWithTheFix() {
        ExecutorContext context = new ExecutorContext(dir, ExecutorSettings.of("lowpriority").withExtra(Map.of("threads", "zero")),
                events::add, Map.of());
        assertThatThrownBy(() -> new LowPriorityExecutorFactory().create(context))
                .isInstanceOf(JobmonException.class).hasMessageContaining("'threads' is 'zero'");
    }

    private Executor executor(int threads) {
        ExecutorSettings settings = ExecutorSettings.of("lowpriority").withWorkingDir(dir)
                .withExtra(Map.of("threads", Integer.toString(threads)));
        Executor executor = new LowPriorityExecutorFactory().create(new ExecutorContext(dir, settings, events::add, Map.of()));
        opened.add(executor);
        return executor;
    }

    private InstanceRequest request(long id, String command) {
        return new InstanceRequest(id, id, "task" + id, command, ExecutorParameters.empty().resolve(),
                dir.resolve("instances").resolve(Long.toString(id)), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The next event; waits for it (the test fails after 30 s without one). */
    private InstanceEvent next() throws InterruptedException {
        InstanceEvent e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).as("an event within 30 s").isNotNull();
        return e;
    }

    /** This JVM's niceness plus 10, capped at 19: what {@code nice -n 10} gives. */
    private static int expectedNiceness() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nice").start();
        int own = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        p.waitFor();
        return Math.min(19, own + 10);
    }
}
