package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Two runs in one JVM, each stopped on its own; the engine leaves the JVM's signal handlers alone. */
class StoppingRunsTest {
    private static final Signal TERM = new Signal("TERM");

    @TempDir
    Path dir;
    JobmonEngine engine;
    final ExecutorService threads = Executors.newCachedThreadPool();
    Jdbi jdbi;
    Tool tool;
    TaskTemplate shell;

    @BeforeEach
    void open() {
        engine = EngineFixture.fastHeartbeatEngine(dir);
        jdbi = engine.database().jdbi();
        tool = Tool.create("stopping");
        shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
    }

    @AfterEach
    void close() throws Exception {
        // a failed test must not leave its tasks waiting forever
        for (String gate : List.of("a", "b", "c")) {
            if (!Files.exists(dir.resolve(gate))) {
                open(gate);
            }
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(20, TimeUnit.SECONDS)).as("the runs' threads ended").isTrue();
        engine.close();
    }

    /** A one-off workflow whose one task waits until the file {@code gate} exists. */
    Workflow gated(String gate) {
        return tool.createWorkflow(gate).setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir))
                .addTask(shell.createTask().arg("cmd", "while [ ! -e " + gate + " ]; do sleep 0.05; done").maxAttempts(1)
                        .build());
    }

    /** Runs {@code gated(gate)} on a thread of its own, with {@code listener}. */
    CompletableFuture<WorkflowRunResult> start(String gate, RunListener listener) {
        return CompletableFuture.supplyAsync(() -> engine.run(gated(gate), RunOptions.defaults(), listener), threads);
    }

    /** The same, with Ctrl-C and SIGTERM stopping it while it runs. */
    CompletableFuture<WorkflowRunResult> startOnSignals(String gate, RunControl control) {
        return CompletableFuture.supplyAsync(() -> {
            try (StopOnSignals.Registration signals = StopOnSignals.install(control)) {
                return engine.run(gated(gate), RunOptions.defaults(), control);
            }
        }, threads);
    }

    void open(String gate) throws Exception {
        Files.createFile(dir.resolve(gate));
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The handler SIGTERM has now (swapped out and back in). */
    static SignalHandler currentTermHandler() {
        SignalHandler now = Signal.handle(TERM, SignalHandler.SIG_DFL);
        Signal.handle(TERM, now);
        return now;
    }

    @Test
    void runsOnTwoThreadsInstallNoSignalHandlersAndLeaveTheJvmsAsTheyWere() throws Exception {
        SignalHandler ours = sig -> {
        };
        SignalHandler original = Signal.handle(TERM, ours);
        try {
            CompletableFuture<WorkflowRunResult> a = start("a", RunListener.NONE);
            await("a's task to run", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
            CompletableFuture<WorkflowRunResult> b = start("b", RunListener.NONE);
            await("b's task to run", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 2);
            assertThat(currentTermHandler()).as("SIGTERM's handler while both run").isSameAs(ours);

            open("a");
            assertThat(a.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowRunStatus.DONE);
            assertThat(currentTermHandler()).as("SIGTERM's handler after the first run ended").isSameAs(ours);
            open("b");
            assertThat(b.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowRunStatus.DONE);
            assertThat(currentTermHandler()).as("SIGTERM's handler after both ended").isSameAs(ours);
        } finally {
            Signal.handle(TERM, original);
        }
    }

    @Test
    void stoppingOneRunThroughItsControlLeavesTheOtherRunningToDone() throws Exception {
        RunControl control = new RunControl();
        CompletableFuture<WorkflowRunResult> a = start("a", control);
        await("a's task to run", () -> control.isRunning() && count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
        CompletableFuture<WorkflowRunResult> b = start("b", RunListener.NONE);
        await("b's task to run", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 2);

        assertThat(control.stop("enough of a")).isTrue();
        WorkflowRunResult stopped = a.get(20, TimeUnit.SECONDS);
        assertThat(stopped.status()).isEqualTo(WorkflowRunStatus.STOPPED);
        assertThat(stopped.message()).contains("enough of a").contains("resume the workflow");
        assertThat(stopped.workflowRunId()).isEqualTo(control.workflowRunId().orElseThrow());
        assertThat(control.isRunning()).isFalse();
        assertThat(control.stop("again")).as("a stop after the end").isFalse();
        assertThat(b).isNotDone();
        assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'R'")).as("b's task still running").isEqualTo(1);

        open("b");
        assertThat(b.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowRunStatus.DONE);
    }

    @Test
    void aStopAskedBeforeTheRunStartsStopsItBeforeAnyTaskRuns() throws Exception {
        RunControl control = new RunControl();
        assertThat(control.workflowRunId()).isEmpty();
        assertThat(control.stop("changed my mind")).isTrue();

        WorkflowRunResult r = start("a", control).get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.STOPPED);
        assertThat(r.message()).contains("changed my mind");
        assertThat(control.workflowRunId()).hasValue(r.workflowRunId());
        assertThat(count("SELECT count(*) FROM task_instance")).isZero();
    }

    @Test
    void sigtermStopsTheRegisteredRunEvenAfterAnEarlierRegisteredRunEndedAndLeavesTheUnregisteredOneRunning() throws Exception {
        // a handler of ours, so that it can be told apart (the JVM's own is wrapped anew each time it is read)
        SignalHandler before = sig -> {
            throw new AssertionError("the handler from before the runs got " + sig);
        };
        SignalHandler original = Signal.handle(TERM, before);
        try {
            registerTwoEndOneThenSigterm(before);
        } finally {
            Signal.handle(TERM, original);
        }
    }

    private void registerTwoEndOneThenSigterm(SignalHandler before) throws Exception {
        RunControl a = new RunControl();
        RunControl b = new RunControl();
        CompletableFuture<WorkflowRunResult> runA = startOnSignals("a", a);
        await("a's task to run", () -> a.isRunning() && count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 1);
        CompletableFuture<WorkflowRunResult> runB = startOnSignals("b", b);
        await("b's task to run", () -> b.isRunning() && count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 2);
        CompletableFuture<WorkflowRunResult> runC = start("c", RunListener.NONE);
        await("c's task to run", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 3);
        // the first registered run ends first: the handler must stay for the second
        open("a");
        assertThat(runA.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(currentTermHandler()).as("SIGTERM's handler while b is registered").isNotSameAs(before);

        Signal.raise(TERM);
        WorkflowRunResult stopped = runB.get(20, TimeUnit.SECONDS);
        assertThat(stopped.status()).isEqualTo(WorkflowRunStatus.STOPPED);
        assertThat(stopped.message()).contains("SIGTERM");
        assertThat(currentTermHandler()).as("SIGTERM's handler once no run is registered").isSameAs(before);
        assertThat(runC).isNotDone();
        open("c");
        assertThat(runC.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowRunStatus.DONE);
    }
}
