package org.jobmon.executor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every executor that runs processes on this machine must do, with real processes. A test
 * class per executor extends this and says how to build one.
 */
public abstract class LocalExecutorContract {
    protected static final Duration WAIT = Duration.ofSeconds(20);
    protected static final long MONITOR_INTERVAL_MS = 100;
    /**
     * The engine config every test executor gets: a fast monitor, and process groups whether or not
     * the tests run in a terminal (their default, auto, depends on that).
     */
    protected static final Map<String, String> CONFIG = Map.of(SlotQueueExecutor.MONITOR_INTERVAL_CONFIG,
            Long.toString(MONITOR_INTERVAL_MS), SlotQueueExecutor.PROCESS_GROUP_CONFIG, "true");

    @TempDir
    protected Path tmp;
    protected final RecordingSink sink = new RecordingSink();
    private Executor executor;

    /** Builds the executor under test for {@code context}. */
    protected abstract Executor newExecutor(ExecutorContext context);

    protected abstract String executorName();

    /** The executor under test with default settings, built once per test and closed after it. */
    protected Executor executor() {
        if (executor == null) {
            executor = newExecutor(context(ExecutorSettings.of(executorName()), CONFIG));
        }
        return executor;
    }

    protected ExecutorContext context(ExecutorSettings settings, Map<String, String> config) {
        return new ExecutorContext(tmp.resolve("run"), settings, sink, config);
    }

    @AfterEach
    void closeExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    protected static Resources resources(int cores) {
        return resources(cores, Map.of());
    }

    protected static Resources resources(int cores, Map<String, String> contextArgs) {
        return new Resources(cores, 1024, 3600, Optional.empty(), contextArgs, Map.of(), false);
    }

    /** One core with these limits. */
    protected static Resources limits(long memoryMib, long maxRuntimeSeconds) {
        return new Resources(1, memoryMib, maxRuntimeSeconds, Optional.empty(), Map.of(), Map.of(), false);
    }

    protected InstanceRequest request(long ti, String command) {
        return request(ti, command, resources(1));
    }

    protected InstanceRequest request(long ti, String command, Resources resources) {
        return new InstanceRequest(ti, ti, "task-" + ti, command, resources, tmp.resolve("run/instances/" + ti),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    protected static InstanceRequest withStdout(InstanceRequest r, Path stdout) {
        return new InstanceRequest(r.taskInstanceId(), r.taskId(), r.taskName(), r.command(), r.resources(),
                r.instanceDir(), Optional.of(stdout), r.stderr(), r.workingDir());
    }

    protected static InstanceRequest withWorkingDir(InstanceRequest r, Path dir) {
        return new InstanceRequest(r.taskInstanceId(), r.taskId(), r.taskName(), r.command(), r.resources(),
                r.instanceDir(), r.stdout(), r.stderr(), Optional.of(dir));
    }

    /** Submits and checks that every request was accepted; returns the executor ids. */
    protected List<String> submit(InstanceRequest... requests) {
        List<Submission> submissions = executor().submit(List.of(requests));
        assertThat(submissions).allSatisfy(s -> assertThat(s.executorId()).isPresent());
        return submissions.stream().map(s -> s.executorId().orElseThrow()).toList();
    }

    protected static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    protected static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void reportsEvents() {
        assertThat(executor().reportsEvents()).isTrue();
    }

    @Test
    void stdoutGoesToTheRequestedFileAndTheStartIsReported() throws Exception {
        Path out = tmp.resolve("it's out/a b/stdout.txt");
        List<String> ids = submit(withStdout(request(1, "echo hello; echo more"), out));

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.executorId()).isEqualTo(ids.get(0));
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(exited.exit().exitCode()).hasValue(0);
        assertThat(exited.exit().hostname()).isPresent();
        assertThat(exited.exit().wallclockSeconds()).isPresent();
        assertThat(read(out)).isEqualTo("hello\nmore\n");
        InstanceEvent.Started started = sink.awaitStarted(1L, WAIT);
        assertThat(started.executorId()).isEqualTo(ids.get(0));
        assertThat(started.pid()).isPresent();
        assertThat(started.hostname()).isNotBlank();
        assertThat(sink.events().indexOf(started)).isLessThan(sink.events().indexOf(exited));
    }

    @Test
    void stdoutIsAppendedAndShellSyntaxIsLeftAlone() throws Exception {
        Path out = tmp.resolve("out.txt");
        Files.writeString(out, "before\n");
        submit(withStdout(request(1, "x='a  b'; echo \"$x\" '$x' \"${HOME:+home}\""), out));

        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(read(out)).isEqualTo("before\na  b $x home\n");
    }

    @Test
    void contextArgsWithValidNamesBecomeEnvironmentVariables() throws Exception {
        Path out = tmp.resolve("env.txt");
        Resources resources = resources(1, Map.of("MY_VAR", "a b", "not-a-name", "x", "9LIVES", "y"));
        submit(withStdout(request(1, "echo \"$MY_VAR\"; echo \"${PATH:+path-kept}\"", resources), out));

        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(read(out)).isEqualTo("a b\npath-kept\n");
    }

    @Test
    void commandRunsInTheRequestedWorkingDir() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("wd"));
        Path out = tmp.resolve("pwd.txt");
        submit(withStdout(withWorkingDir(request(1, "pwd -P"), dir), out));

        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(read(out).strip()).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void commandRunsInTheWorkflowsWorkingDirWhenTheRequestHasNone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("workflow-wd"));
        Path out = tmp.resolve("pwd.txt");
        try (Executor other = newExecutor(context(ExecutorSettings.of(executorName()).withWorkingDir(dir), Map.of()))) {
            other.submit(List.of(withStdout(request(1, "pwd -P"), out)));
            assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        }
        assertThat(read(out).strip()).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void nonZeroExitIsAnApplicationErrorWithTheStderrTail() throws Exception {
        InstanceRequest request = request(1, "echo doing it; echo 'it broke: no such input' >&2; exit 3");
        submit(request);

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(exited.exit().exitCode()).hasValue(3);
        assertThat(exited.exit().stderrTail()).contains("it broke: no such input").doesNotContain("doing it");
        assertThat(exited.exit().wallclockSeconds()).isPresent();
        assertThat(exited.exit().message()).contains("exit code 3");
        assertThat(read(request.instanceDir().resolve("stderr"))).isEqualTo("it broke: no such input\n");
    }

    @Test
    void aMissingCommandIsReportedAtItsOwnLineUnderTheTasksName() throws Exception {
        submit(request(1, "true\nnosuchcmd_jobmon --flag"));
        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().exitCode()).hasValue(127);
        assertThat(exited.exit().stderrTail()).contains("task-1: 2: ").contains("nosuchcmd_jobmon: not found")
                .doesNotContain("/bin/sh:");
    }

    @Test
    void stderrGoesToTheRequestedFile() throws Exception {
        Path err = tmp.resolve("logs/err.txt");
        InstanceRequest r = request(1, "echo warning >&2");
        submit(new InstanceRequest(1, 1, "t", r.command(), r.resources(), r.instanceDir(), Optional.empty(),
                Optional.of(err), Optional.empty()));

        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(read(err)).isEqualTo("warning\n");
        assertThat(r.instanceDir().resolve("stderr")).doesNotExist();
        assertThat(InstanceRecords.readExit(r.instanceDir(), 1).orElseThrow().exitCode()).isZero();
    }

    @Test
    void anUnstartableCommandIsReportedAndTheNextOneStillRuns() throws Exception {
        Path missing = tmp.resolve("no-such-dir");
        submit(withWorkingDir(request(1, "true"), missing), request(2, "true"));

        InstanceEvent.Exited failed = sink.awaitExited(1L, WAIT);
        assertThat(failed.exit().kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(failed.exit().exitCode()).hasValue(Executor.WRAPPER_FAILED_EXIT_CODE);
        assertThat(failed.exit().message()).contains(missing.toString()).contains("does not exist");
        assertThat(sink.awaitExited(2L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(executor().exitInfo(failed.executorId())).isEqualTo(failed.exit());
    }

    @Test
    void anUnwritableStdoutFileIsAWrapperFailureNamingTheFile() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        Path marker = tmp.resolve("ran");
        submit(withStdout(request(1, "touch '" + marker + "'"), folder));

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(exited.exit().exitCode()).hasValue(Executor.WRAPPER_FAILED_EXIT_CODE);
        assertThat(exited.exit().message()).startsWith("The command could not be started").contains(folder.toString());
        assertThat(exited.exit().stderrTail()).contains(folder.toString());
        assertThat(marker).doesNotExist();
    }

    @Test
    void terminateKillsTheWholeProcessTree() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        String id = submit(request(1, "sh -c 'sleep 60 & echo $! > \"$0\"; wait' \"" + pidFile + "\"")).get(0);
        sink.awaitStarted(1L, WAIT);
        awaitTrue(() -> Files.exists(pidFile) && pidFileComplete(pidFile), "the child's pid file");
        long childPid = Long.parseLong(read(pidFile).strip());
        assertThat(ProcessHandle.of(childPid)).isPresent();
        assertThat(executor().poll(List.of(id))).containsEntry(id, JobState.RUNNING);

        executor().terminate(List.of(id));

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(exited.exit().message()).contains("killed on order");
        awaitTrue(() -> ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false) == false,
                "the child sleep to die");
        assertThat(executor().poll(List.of(id))).isEmpty();
        assertThat(executor().exitInfo(id).kind()).isEqualTo(ExitKind.KILLED);
    }

    @Test
    void terminateAlsoKillsWhatLeftTheTreeButStayedInTheProcessGroup() throws Exception {
        Path pidFile = tmp.resolve("orphan.pid");
        // The inner shell ends at once, so its sleep is re-parented away from the attempt's tree.
        InstanceRequest request = request(1, "sh -c 'sleep 60 & echo $! > \"$0\"' \"" + pidFile + "\"; sleep 60");
        String id = submit(request).get(0);
        awaitStartedRecord(request);
        awaitTrue(() -> Files.exists(pidFile) && pidFileComplete(pidFile), "the orphan's pid file");
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(read(pidFile).strip())).orElseThrow();
        long wrapper = sink.awaitStarted(1L, WAIT).pid().getAsLong();
        awaitTrue(() -> orphan.parent().map(ProcessHandle::pid).orElse(-1L) != wrapper
                && ProcessHandle.of(wrapper).orElseThrow().descendants().noneMatch(orphan::equals), "the re-parenting");

        executor().terminate(List.of(id));

        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.KILLED);
        awaitTrue(() -> !orphan.isAlive(), "the orphan to die");
    }

    private static boolean pidFileComplete(Path pidFile) {
        try {
            return read(pidFile).endsWith("\n");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void unknownIdsArePolledAsGoneAndTheirExitIsLost() {
        assertThat(executor().poll(List.of("local-404"))).isEmpty();
        assertThat(executor().exitInfo("local-404").kind()).isEqualTo(ExitKind.LOST);
        executor().terminate(List.of("local-404"));
    }

    @Test
    void afterCloseSubmissionsAreRefusedAndRunningProcessesAreLeftAlone() throws Exception {
        Path pidFile = tmp.resolve("sleep.pid");
        submit(request(1, "echo $$ > \"" + pidFile + "\"; exec sleep 60"));
        awaitTrue(() -> Files.exists(pidFile) && pidFileComplete(pidFile), "the pid file");
        long pid = Long.parseLong(read(pidFile).strip());

        executor().close();

        List<Submission> refused = executor().submit(List.of(request(2, "true")));
        assertThat(refused.get(0).executorId()).isEmpty();
        assertThat(refused.get(0).error()).hasValueSatisfying(e -> assertThat(e).contains("closed"));
        ProcessHandle shell = ProcessHandle.of(pid).orElseThrow();
        assertThat(shell.isAlive()).isTrue();
        shell.descendants().forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
    }

    // --- the instance records and the enforcement of resources ---

    /** Waits until the wrapper has written its started record (so it runs, in its own process group). */
    protected InstanceRecords.Started awaitStartedRecord(InstanceRequest request) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            var started = InstanceRecords.readStarted(request.instanceDir(), request.taskInstanceId());
            if (started.isPresent()) {
                return started.get();
            }
            assertThat(System.nanoTime()).as("waiting for the started record of %s", request.taskInstanceId())
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void everyEndThatTheWrapperSeesLeavesItsRecords() throws Exception {
        InstanceRequest ok = request(1, "true");
        InstanceRequest failed = request(2, "exit 3");
        submit(ok, failed);

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(sink.awaitExited(2L, WAIT).exit().exitCode()).hasValue(3);
        assertThat(InstanceRecords.readExit(ok.instanceDir(), 1).orElseThrow().exitCode()).isZero();
        assertThat(InstanceRecords.readExit(failed.instanceDir(), 2).orElseThrow().exitCode()).isEqualTo(3);
        InstanceRecords.Started started = InstanceRecords.readStarted(ok.instanceDir(), 1).orElseThrow();
        assertThat(started.pid()).isEqualTo(sink.awaitStarted(1L, WAIT).pid().getAsLong());
        assertThat(started.processGroup()).as("the wrapper leads its process group").hasValue(started.pid());
        assertThat(started.host()).isEqualTo(exited.exit().hostname().orElseThrow());
    }

    @Test
    void pastItsMaxRuntimeTheTreeIsKilledAsAResourceError() throws Exception {
        InstanceRequest request = request(1, "sleep 5", limits(1024, 1));
        long start = System.nanoTime();
        submit(request);

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(exited.exit().resource()).hasValue("runtime");
        assertThat(exited.exit().message()).contains("max_runtime_seconds of 1").contains("killed");
        assertThat(seconds).as("killed at about the limit").isBetween(1.0, 3.0);
        assertThat(exited.exit().wallclockSeconds().getAsDouble()).isBetween(1.0, 1.0 + 3 * MONITOR_INTERVAL_MS / 1000.0);
        assertThat(InstanceRecords.readExit(request.instanceDir(), 1)).isEmpty();
    }

    /** Grows to about 286 MiB in tail (a line without end is kept whole) and holds it for a second. */
    private static final String GROW_TO_300_MB = "{ head -c 300000000 /dev/zero; sleep 1; } | tail >/dev/null";

    @Test
    void pastItsMemoryTheTreeIsKilledAsAResourceErrorNamingTheLimit() throws Exception {
        submit(request(1, GROW_TO_300_MB, limits(100, 3600)));

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(exited.exit().resource()).hasValue("memory");
        assertThat(exited.exit().message()).contains("m_mem_free of 100M").contains("MiB").contains("killed");
        assertThat(exited.exit().maxRssBytes().getAsLong()).isGreaterThan(100L * 1024 * 1024);
    }

    @Test
    void withinItsMemoryItEndsDoneWithItsMaxRss() throws Exception {
        submit(request(1, GROW_TO_300_MB, limits(1024, 3600)));

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().kind()).as(exited.exit().message()).isEqualTo(ExitKind.DONE);
        assertThat(exited.exit().maxRssBytes().getAsLong()).as("the tree's RSS").isGreaterThan(250_000_000L);
    }

    @Test
    void aProcessGroupKilledFromOutsideIsReportedKilledAtOnce() throws Exception {
        InstanceRequest request = request(1, "sleep 30");
        submit(request);
        InstanceRecords.Started started = awaitStartedRecord(request);
        long pgid = started.processGroup().orElseThrow();

        long killedAt = System.nanoTime();
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s KILL -- -" + pgid).start();
        assertThat(kill.waitFor()).isZero();

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat((System.nanoTime() - killedAt) / 1e9).as("seconds until reported").isLessThan(1.5);
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(exited.exit().message()).contains("signal 9").contains("outside Jobmon");
        assertThat(InstanceRecords.readExit(request.instanceDir(), 1)).isEmpty();
    }

    @Test
    void aKillOrderInTheInstanceFolderKillsIt() throws Exception {
        InstanceRequest request = request(1, "sleep 30");
        submit(request);
        awaitStartedRecord(request);

        InstanceRecords.orderKill(request.instanceDir(), 1);

        InstanceEvent.Exited exited = sink.awaitExited(1L, WAIT);
        assertThat(exited.exit().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(exited.exit().message()).contains("killed on order");
    }

    @Test
    void aQueuedInstanceTerminatedIsKilledOnOrderAndNeverStarts() throws Exception {
        Path marker = tmp.resolve("ran");
        List<String> ids = submit(request(1, "exec sleep 60", resources(64)), request(2, "touch '" + marker + "'"));
        sink.awaitStarted(1L, WAIT);
        assertThat(executor().poll(ids)).containsEntry(ids.get(1), JobState.QUEUED);

        executor().terminate(List.of(ids.get(1)));

        InstanceEvent.Exited dropped = sink.awaitExited(2L, WAIT);
        assertThat(dropped.exit().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(dropped.exit().message()).contains("killed on order");
        executor().terminate(List.of(ids.get(0)));
        assertThat(sink.awaitExited(1L, WAIT).exit().message()).contains("killed on order");
        assertThat(marker).doesNotExist();
        assertThat(sink.events()).noneMatch(e -> e instanceof InstanceEvent.Started && e.taskInstanceId() == 2);
    }

    @Test
    void aQueuedInstanceWithdrawnNeverStartsSendsNoEventAndMayBeSubmittedAgain() throws Exception {
        Path marker = tmp.resolve("ran");
        Path release = tmp.resolve("release");
        List<String> ids = submit(request(1, "while [ ! -f '" + release + "' ]; do sleep 0.05; done", resources(64)),
                request(2, "touch '" + marker + "'"));
        sink.awaitStarted(1L, WAIT);
        assertThat(executor().freeSlots().orElseThrow()).as("nothing free, one waiting").isNegative();

        assertThat(executor().withdraw(List.of(ids.get(0), ids.get(1), "local-999"))).as("only the queued one").containsExactly(ids.get(1));
        assertThat(executor().poll(ids)).containsOnlyKeys(ids.get(0));
        Files.writeString(release, "");
        sink.awaitExited(1L, WAIT);
        assertThat(sink.events()).noneMatch(e -> e.taskInstanceId() == 2);
        assertThat(marker).doesNotExist();

        submit(request(2, "touch '" + marker + "'"));
        assertThat(sink.awaitExited(2L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(marker).exists();
    }

    @Test
    void withoutProcessGroupsLimitsTerminateAndOutsideKillsStillWork() throws Exception {
        Map<String, String> config = Map.of(SlotQueueExecutor.MONITOR_INTERVAL_CONFIG, "100",
                SlotQueueExecutor.PROCESS_GROUP_CONFIG, "false");
        Path pidFile = tmp.resolve("child.pid");
        InstanceRequest limited = request(1, "sleep 5", limits(1024, 1));
        InstanceRequest terminated = request(2, "sh -c 'sleep 60 & echo $! > \"$0\"; wait' \"" + pidFile + "\"");
        InstanceRequest killed = request(3, "sleep 30");
        try (Executor other = newExecutor(context(ExecutorSettings.of(executorName()), config))) {
            other.submit(List.of(limited));
            assertThat(sink.awaitExited(1L, WAIT).exit().resource()).hasValue("runtime");
            assertThat(InstanceRecords.readStarted(limited.instanceDir(), 1).orElseThrow().processGroup()).isEmpty();

            String id = other.submit(List.of(terminated)).get(0).executorId().orElseThrow();
            awaitTrue(() -> Files.exists(pidFile) && pidFileComplete(pidFile), "the child's pid file");
            ProcessHandle child = ProcessHandle.of(Long.parseLong(read(pidFile).strip())).orElseThrow();
            other.terminate(List.of(id));
            assertThat(sink.awaitExited(2L, WAIT).exit().message()).contains("killed on order");
            awaitTrue(() -> !child.isAlive(), "the child to die");

            other.submit(List.of(killed));
            ProcessHandle wrapper = ProcessHandle.of(awaitStartedRecord(killed).pid()).orElseThrow();
            List<ProcessHandle> tree = wrapper.descendants().toList();
            wrapper.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            InstanceEvent.Exited exited = sink.awaitExited(3L, WAIT);
            assertThat(exited.exit().kind()).isEqualTo(ExitKind.KILLED);
            assertThat(exited.exit().message()).contains("signal 9").contains("outside Jobmon");
        }
    }

    @Test
    void badLocalConfigValuesAreInvalidArgumentsNamingTheKey() {
        for (Map<String, String> bad : List.of(Map.of(SlotQueueExecutor.MONITOR_INTERVAL_CONFIG, "fast"),
                Map.of(SlotQueueExecutor.MONITOR_INTERVAL_CONFIG, "0"),
                Map.of(SlotQueueExecutor.PROCESS_GROUP_CONFIG, "maybe"))) {
            String key = bad.keySet().iterator().next();
            assertThatThrownBy(() -> newExecutor(context(ExecutorSettings.of(executorName()), bad)))
                    .isInstanceOfSatisfying(JobmonException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains(key).contains("'" + bad.get(key) + "'");
                    });
        }
    }
}
