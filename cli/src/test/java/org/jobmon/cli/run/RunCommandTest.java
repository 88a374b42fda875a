package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliContext;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.FakeEngine;
import org.jobmon.cli.MutableClock;
import org.jobmon.cli.TestSpecs;
import org.jobmon.engine.RunListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code jobmon run} against a fake engine: what reaches the engine, output and exit codes. */
class RunCommandTest {
    @TempDir
    Path dir;

    private Path spec;
    private final MutableClock clock = MutableClock.at("2025-01-01T12:00:00Z");

    @BeforeEach
    void writeSpec() {
        spec = TestSpecs.write(dir, "three_phase.yaml", TestSpecs.THREE_PHASE);
    }

    private CliResult run(FakeEngine engine, String... args) {
        CliContext context = TestSpecs.context(engine).withClock(clock);
        return CliResult.run(context, args);
    }

    private static Map<TaskStatus, Integer> counts(int pending, int running, int done, int fatal) {
        return CliTestSupport.counts(pending, running, done, fatal);
    }

    @Test
    void aRunThatEndsDoneExitsZeroWithASummary() {
        FakeEngine engine = FakeEngine.done();
        CliResult r = run(engine, "run", spec.toString(), "--db", "jdbc:h2:mem:x").exits(ExitCodes.OK);

        assertThat(engine.calls()).hasSize(1);
        FakeEngine.Call call = engine.calls().get(0);
        assertThat(call.databaseUrl()).isEqualTo("jdbc:h2:mem:x");
        assertThat(call.workflow().tasks()).hasSize(31);
        assertThat(call.options().resume()).isFalse();
        assertThat(r.out()).contains("workflow 7, run 11: 31 tasks")
                .contains("workflow 7 (three_phase), run 11: DONE")
                .contains("31 tasks: 31 done, 0 fatal")
                .doesNotContain("resume");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theDatabaseOptionWorksBeforeTheCommandToo() {
        FakeEngine engine = FakeEngine.done();
        run(engine, "--db", "jdbc:h2:mem:y", "run", spec.toString()).exits(ExitCodes.OK);
        assertThat(engine.calls().get(0).databaseUrl()).isEqualTo("jdbc:h2:mem:y");
    }

    @Test
    void resumeAndHotReachTheEngine() {
        FakeEngine engine = FakeEngine.done();
        run(engine, "run", spec.toString(), "--resume").exits(ExitCodes.OK);
        run(engine, "run", "--hot", spec.toString()).exits(ExitCodes.OK);
        assertThat(engine.calls().get(0).options().resume()).isTrue();
        assertThat(engine.calls().get(0).options().hotResume()).isFalse();
        assertThat(engine.calls().get(1).options().resume()).isTrue();
        assertThat(engine.calls().get(1).options().hotResume()).isTrue();
    }

    @Test
    void jsonEndsStdoutWithOneObjectAndMovesProgressToStderr() throws Exception {
        FakeEngine engine = FakeEngine.done().reporting(l -> l.progress(counts(0, 0, 31, 0)));
        CliResult r = run(engine, "run", spec.toString(), "-n").exits(ExitCodes.OK);

        assertThat(r.out().lines()).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(r.lastOutLine());
        assertThat(json.properties()).extracting(Map.Entry::getKey).containsExactly("workflow_id", "workflow_run_id",
                "status", "tasks", "done", "fatal", "previously_done");
        assertThat(json.get("workflow_id").asLong()).isEqualTo(7);
        assertThat(json.get("workflow_run_id").asLong()).isEqualTo(11);
        assertThat(json.get("status").asText()).isEqualTo("DONE");
        assertThat(json.get("tasks").asInt()).isEqualTo(31);
        assertThat(json.get("done").asInt()).isEqualTo(31);
        assertThat(r.err()).contains("31 tasks: 31 done, 0 running, 0 pending, 0 fatal").contains("DONE");
    }

    @Test
    void aFailedRunExitsOneAndSaysWhereToLookAndHowToResume() {
        FakeEngine engine = FakeEngine.done().returning(
                new WorkflowRunResult(7, 11, WorkflowRunStatus.ERROR, 31, 20, 3, 5, "3 tasks failed"));
        CliResult r = run(engine, "run", spec.toString(), "--json").exits(ExitCodes.FAILED);

        assertThat(r.lastOutLine()).contains("\"status\":\"ERROR\"").contains("\"fatal\":3").contains("\"previously_done\":5");
        assertThat(r.err()).contains("workflow 7 (three_phase), run 11: ERROR: 3 tasks failed")
                .contains("31 tasks: 20 done (5 by earlier runs), 3 fatal, 8 not done")
                .contains("jobmon workflow_tasks -w 7 -s FATAL")
                .contains("jobmon task_status -t")
                .contains("jobmon run " + spec + " --resume");
    }

    @Test
    void theResumeHintKeepsTheDatabaseButNotItsPassword() {
        FakeEngine engine = FakeEngine.done().returning(
                new WorkflowRunResult(7, 11, WorkflowRunStatus.ERROR, 31, 20, 3, 0, ""));
        run(engine, "run", spec.toString(), "--db", "jdbc:h2:mem:x").exits(ExitCodes.FAILED);
        CliResult plain = run(engine, "run", spec.toString(), "--db", "jdbc:h2:mem:x");
        assertThat(plain.out()).contains("--resume --db jdbc:h2:mem:x");
        CliResult secret = run(engine, "run", spec.toString(), "--db", "jdbc:mariadb://u:pw@host/db;password=pw");
        assertThat(secret.out()).contains("--resume --db URL").doesNotContain("pw");
    }

    @Test
    void aOneOffWorkflowCannotBeResumedAndTheSummarySaysSo() {
        Path oneOff = TestSpecs.write(dir, "one_off.yaml",
                TestSpecs.THREE_PHASE.replace("  workflow_args: three_phase_demo\n", ""));
        FakeEngine engine = FakeEngine.done().returning(
                new WorkflowRunResult(7, 11, WorkflowRunStatus.ERROR, 31, 30, 1, 0, ""));
        CliResult r = run(engine, "run", oneOff.toString()).exits(ExitCodes.FAILED);
        assertThat(r.out()).contains("no workflow_args, so it cannot be resumed").doesNotContain("--resume");
    }

    @Test
    void engineErrorsMapByTheirCode() {
        CliResult complete = run(FakeEngine.done().failing(new JobmonException(ErrorCode.WORKFLOW_ALREADY_COMPLETE,
                "workflow 7 is already complete")), "run", spec.toString()).exits(ExitCodes.FAILED);
        assertThat(complete.err()).isEqualTo("jobmon: workflow 7 is already complete" + System.lineSeparator());

        CliResult cycle = run(FakeEngine.done().failing(new JobmonException(ErrorCode.INVALID_DAG,
                "the tasks form a cycle: a -> b -> a")), "run", spec.toString()).exits(ExitCodes.USAGE);
        assertThat(cycle.err()).contains("jobmon: the tasks form a cycle").doesNotContain("\tat ");

        CliResult database = run(FakeEngine.done().failing(new JobmonException(ErrorCode.DATABASE,
                "cannot reach the database", new java.sql.SQLException("connection refused"))), "run", spec.toString())
                .exits(ExitCodes.FAILED);
        assertThat(database.err()).contains("jobmon: cannot reach the database")
                .contains("caused by: java.sql.SQLException: connection refused").doesNotContain("\tat ");
    }

    @Test
    void aBugExitsThreeWithItsStackTrace() {
        CliResult r = run(FakeEngine.done().failing(new IllegalStateException("boom")), "run", spec.toString())
                .exits(ExitCodes.INTERNAL);
        assertThat(r.err()).contains("jobmon: internal error: java.lang.IllegalStateException: boom").contains("\tat ");
    }

    @Test
    void plainProgressPrintsChangesAtMostOnceASecondAndTheLastCounts() {
        FakeEngine engine = FakeEngine.done().reporting(l -> {
            l.progress(counts(31, 0, 0, 0));
            clock.advance(Duration.ofMillis(300));
            l.progress(counts(29, 2, 0, 0)); // held back: less than a second since the last line
            clock.advance(Duration.ofMillis(300));
            l.progress(counts(29, 2, 0, 0));
            clock.advance(Duration.ofMillis(500));
            l.progress(counts(27, 2, 2, 0)); // a second after the first line
            clock.advance(Duration.ofMillis(100));
            l.progress(counts(27, 2, 2, 0)); // unchanged: nothing
            l.progress(counts(0, 0, 31, 0)); // held back, shown at the end
        });
        CliResult r = run(engine, "run", spec.toString()).exits(ExitCodes.OK);
        assertThat(r.out().lines().filter(l -> l.contains("tasks: ") && l.startsWith("["))).containsExactly(
                "[12:00:00] 31 tasks: 0 done, 0 running, 31 pending, 0 fatal",
                "[12:00:01] 31 tasks: 2 done, 2 running, 27 pending, 0 fatal",
                "[12:00:01] 31 tasks: 31 done, 0 running, 0 pending, 0 fatal");
    }

    @Test
    void onATerminalProgressRewritesOneLine() {
        RunListener[] seen = new RunListener[1];
        FakeEngine engine = FakeEngine.done().reporting(l -> {
            seen[0] = l;
            l.progress(counts(31, 0, 0, 0));
            l.progress(counts(30, 1, 0, 0));
            l.progress(counts(0, 0, 31, 0));
        });
        CliResult r = CliResult.run(TestSpecs.context(engine).withClock(clock).withTerminal(true), "run", spec.toString())
                .exits(ExitCodes.OK);
        assertThat(r.out()).contains("\r31 tasks: 0 done, 0 running, 31 pending, 0 fatal | 0% | 0:00 | ETA --\u001b[K"
                + "\r31 tasks: 0 done, 1 running, 30 pending")
                .contains("\r31 tasks: 31 done, 0 running, 0 pending, 0 fatal | 100% | 0:00 | ETA 0:00\u001b[K" + System.lineSeparator()
                        + "workflow 7 (three_phase)");
        assertThat(seen[0]).isNotNull();
    }
}
