package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliContext;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.RunEngine;
import org.jobmon.cli.TestSpecs;
import org.jobmon.engine.RunListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code jobmon run} and {@code jobmon workflow_resume} own SIGINT and SIGTERM while their run goes,
 * and put back what was there when it ends, however it ends. (ControllerSignalsIT sends the signal.)
 */
class RunSignalsTest {
    private static final Signal TERM = new Signal("TERM");

    @TempDir
    Path dir;

    /** A handler of ours, to tell apart from the command's (the JVM's own is wrapped anew each time it is read). */
    private final SignalHandler before = sig -> {
        throw new AssertionError("the handler from before the command got " + sig);
    };
    private SignalHandler original;
    /** SIGTERM's handler as the engine saw it during each run. */
    private final List<SignalHandler> during = new ArrayList<>();
    private RuntimeException failure;

    @BeforeEach
    void putOursInPlace() {
        original = Signal.handle(TERM, before);
    }

    @AfterEach
    void putTheOriginalBack() {
        Signal.handle(TERM, original);
    }

    private static SignalHandler currentTermHandler() {
        SignalHandler now = Signal.handle(TERM, SignalHandler.SIG_DFL);
        Signal.handle(TERM, now);
        return now;
    }

    private final RunEngine engine = new RunEngine() {
        @Override
        public WorkflowRunResult run(String databaseUrl, Workflow workflow, RunOptions options, RunListener listener) {
            return runs(listener);
        }

        @Override
        public WorkflowRunResult resume(String databaseUrl, long workflowId, RunOptions options, RunListener listener,
                org.jobmon.api.Notifications notifications) {
            return runs(listener);
        }

        private WorkflowRunResult runs(RunListener listener) {
            during.add(currentTermHandler());
            if (failure != null) {
                throw failure;
            }
            listener.bound(7, 11, 1, 0);
            return new WorkflowRunResult(7, 11, WorkflowRunStatus.DONE, 1, 1, 0, 0, "all tasks done");
        }
    };

    private CliResult jobmon(String... args) {
        CliContext context = TestSpecs.context(engine);
        return CliResult.run(context, args);
    }

    @Test
    void runAndWorkflowResumeHandleSigtermWhileTheirRunGoesAndPutTheHandlerBackAfter() {
        Path spec = TestSpecs.write(dir, "three_phase.yaml", TestSpecs.THREE_PHASE);
        jobmon("run", spec.toString(), "--db", "jdbc:h2:mem:x").exits(ExitCodes.OK);
        assertThat(currentTermHandler()).as("SIGTERM's handler after jobmon run").isSameAs(before);
        jobmon("workflow_resume", "-w", "7", "--db", "jdbc:h2:mem:x").exits(ExitCodes.OK);
        assertThat(currentTermHandler()).as("SIGTERM's handler after jobmon workflow_resume").isSameAs(before);

        assertThat(during).hasSize(2).allSatisfy(h -> assertThat(h).as("SIGTERM's handler during the run").isNotSameAs(before));
    }

    @Test
    void aRunThatFailsPutsTheHandlerBackToo() {
        failure = new JobmonException(ErrorCode.NOT_FOUND, "no workflow 7");
        jobmon("workflow_resume", "-w", "7", "--db", "jdbc:h2:mem:x").exits(ExitCodes.FAILED);
        assertThat(during).hasSize(1).allSatisfy(h -> assertThat(h).isNotSameAs(before));
        assertThat(currentTermHandler()).isSameAs(before);
    }
}
