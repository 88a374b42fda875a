package org.jobmon.api.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InstanceRecordsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    /** The POSIX shells on this machine: /bin/sh always, dash and bash when installed. */
    static Stream<String> shells() {
        List<String> shells = new ArrayList<>(List.of("/bin/sh"));
        for (String candidate : List.of("/bin/dash", "/usr/bin/dash", "/bin/bash", "/usr/bin/bash")) {
            String name = Path.of(candidate).getFileName().toString();
            if (Files.isExecutable(Path.of(candidate)) && shells.stream().noneMatch(s -> s.endsWith("/" + name))) {
                shells.add(candidate);
            }
        }
        return shells.stream();
    }

    private record Run(int exitCode, String stderr) {
    }

    /** Runs {@code script} with {@code shell -c}, stdin closed, and waits for it. */
    private static Run run(String shell, String script, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", script);
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the wrapper ends").isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.exitValue(), err);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Test
    void recordsWrittenByHandReadBackWithTheirFileTimes() throws Exception {
        Path dir = tmp.resolve("i7");
        write(dir.resolve("started"), "ti 7\npid 4711\npgid 4711\nhost node7\nfuture-key x\nend\n");
        write(dir.resolve("exit"), "ti 7\ncode 3\nend\n");
        Instant when = Instant.parse("2024-05-01T10:15:30.123Z");
        Files.setLastModifiedTime(dir.resolve("exit"), FileTime.from(when));

        InstanceRecords.Started started = InstanceRecords.readStarted(dir, 7).orElseThrow();
        assertThat(started.taskInstanceId()).isEqualTo(7);
        assertThat(started.pid()).isEqualTo(4711);
        assertThat(started.processGroup()).hasValue(4711);
        assertThat(started.host()).isEqualTo("node7");
        assertThat(started.time()).isEqualTo(Files.getLastModifiedTime(dir.resolve("started")).toInstant());
        InstanceRecords.Exited exited = InstanceRecords.readExit(dir, 7).orElseThrow();
        assertThat(exited.exitCode()).isEqualTo(3);
        assertThat(exited.time()).isEqualTo(when);
    }

    @Test
    void aStartedRecordWithoutPgidHasNoProcessGroup() throws Exception {
        Path dir = tmp.resolve("i8");
        write(dir.resolve("started"), "ti 8\npid 12\nhost h\nend\n");
        assertThat(InstanceRecords.readStarted(dir, 8).orElseThrow().processGroup()).isEmpty();
    }

    @Test
    void anotherAttemptsRecordsReadAsAbsent() throws Exception {
        Path dir = tmp.resolve("i9");
        write(dir.resolve("started"), "ti 90\npid 12\nhost h\nend\n");
        write(dir.resolve("exit"), "ti 90\ncode 0\nend\n");
        InstanceRecords.orderKill(dir, 90);

        assertThat(InstanceRecords.readStarted(dir, 9)).isEmpty();
        assertThat(InstanceRecords.readExit(dir, 9)).isEmpty();
        assertThat(InstanceRecords.killOrdered(dir, 9)).isFalse();
        assertThat(InstanceRecords.readExit(dir, 90)).isPresent();
        assertThat(InstanceRecords.killOrdered(dir, 90)).isTrue();
    }

    @Test
    void halfWrittenOrMalformedRecordsReadAsAbsent() throws Exception {
        Path dir = tmp.resolve("i1");
        Path exit = dir.resolve("exit");
        for (String bad : List.of("", "ti 1\n", "ti 1\ncode 3\n", "ti 1\ncode 3\nen", "ti 1\ncode 3\nend",
                "ti 1\ncode\nend\n", "ti 1\ncode x3\nend\n", "ti 1\ncode 300\nend\n", "code 3\nti 1\nend\n",
                "ti one\ncode 3\nend\n", "ti 11\ncode 3\nend\n")) {
            write(exit, bad);
            assertThat(InstanceRecords.readExit(dir, 1)).as("exit record %s", bad.replace("\n", "\\n")).isEmpty();
        }
        write(dir.resolve("started"), "ti 1\nhost h\nend\n");
        assertThat(InstanceRecords.readStarted(dir, 1)).as("no pid").isEmpty();
        assertThat(InstanceRecords.readStarted(tmp.resolve("absent"), 1)).isEmpty();
        assertThat(InstanceRecords.readExit(tmp.resolve("absent"), 1)).isEmpty();
        assertThat(InstanceRecords.killOrdered(tmp.resolve("absent"), 1)).isFalse();
    }

    @Test
    void orderKillCreatesTheFolderAndLeavesOnlyTheRecord() throws Exception {
        Path dir = tmp.resolve("not/yet/there");
        InstanceRecords.orderKill(dir, 5);
        InstanceRecords.orderKill(dir, 5);

        assertThat(InstanceRecords.killOrdered(dir, 5)).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("kill");
        }
        assertThat(Files.readString(dir.resolve("kill"))).isEqualTo("ti 5\nend\n");
    }

    @Test
    void orderKillIntoAnUnwritablePlaceSaysWhere() throws Exception {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> InstanceRecords.orderKill(file.resolve("sub"), 5))
                .hasMessageContaining("task instance 5").hasMessageContaining(file.toString());
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theWrapperRecordsStartAndExitForEveryWayTheCommandEnds(String shell) throws Exception {
        record Case(String command, int code) {
        }
        List<Case> cases = List.of(new Case("echo out; echo err >&2", 0), new Case("sh -c 'exit 3'", 3),
                new Case("echo before; exit 5; echo after", 5), new Case("exec sh -c 'exit 6'", 6),
                new Case("trap 'exit 8' EXIT; true", 8), new Case("set -e; false; echo not here", 1),
                new Case("f() { exit 9; }; f", 9), new Case("echo 'never closed", 2), new Case("exec >&2; exit 4", 4),
                new Case("exit", 0));
        long ti = 100;
        for (Case c : cases) {
            ti++;
            Path dir = Files.createDirectories(tmp.resolve(shell.replace('/', '_') + "/" + ti));
            Path out = tmp.resolve("out-" + ti + ".txt");
            String script = InstanceRecords.wrap(ti, dir, "node-" + ti, c.command(), Optional.of(out), Optional.empty(),
                    false);

            Run run = run(shell, script, Map.of());

            assertThat(run.exitCode()).as("%s: %s", shell, c.command()).isEqualTo(c.code());
            InstanceRecords.Started started = InstanceRecords.readStarted(dir, ti).orElseThrow();
            assertThat(started.host()).isEqualTo("node-" + ti);
            assertThat(started.processGroup()).isEmpty();
            assertThat(InstanceRecords.readExit(dir, ti).orElseThrow().exitCode()).isEqualTo(c.code());
            assertThat(InstanceRecords.readExit(dir, ti).orElseThrow().time()).isAfterOrEqualTo(started.time());
        }
        assertThat(Files.readString(tmp.resolve("out-101.txt"))).isEqualTo("out\n");
        assertThat(Files.readString(tmp.resolve(shell.replace('/', '_') + "/101/stderr"))).isEqualTo("err\n");
        assertThat(Files.readString(tmp.resolve("out-103.txt"))).isEqualTo("before\n");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void theWrappersOwnStepsNeedNoProgramsOnThePath(String shell) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("i1"));
        String script = InstanceRecords.wrap(1, dir, "h", ":", Optional.empty(), Optional.empty(), true);

        Run run = run(shell, script, Map.of("PATH", tmp.resolve("empty").toString()));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(InstanceRecords.readExit(dir, 1).orElseThrow().exitCode()).isZero();
        assertThat(script).doesNotContain("$(").doesNotContain("`");
    }

    @ParameterizedTest
    @MethodSource("shells")
    void anUnwritableInstanceFolderIsAWrapperFailureAndTheCommandDoesNotRun(String shell) throws Exception {
        Path dir = tmp.resolve("missing");
        Path marker = tmp.resolve("ran");
        String script = InstanceRecords.wrap(1, dir, "h", "touch '" + marker + "'", Optional.empty(), Optional.empty(),
                false);

        Run run = run(shell, script, Map.of());

        assertThat(run.exitCode()).isEqualTo(Executor.WRAPPER_FAILED_EXIT_CODE);
        assertThat(run.stderr()).contains(dir.resolve("started").toString());
        assertThat(marker).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("shells")
    void anUnopenableStdoutIsAWrapperFailureWithAnExitRecord(String shell) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("i1"));
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        Path marker = tmp.resolve("ran");
        String script = InstanceRecords.wrap(1, dir, "h", "touch '" + marker + "'", Optional.of(folder),
                Optional.empty(), false);

        Run run = run(shell, script, Map.of());

        assertThat(run.exitCode()).isEqualTo(Executor.WRAPPER_FAILED_EXIT_CODE);
        assertThat(run.stderr()).contains(folder.toString());
        assertThat(InstanceRecords.readExit(dir, 1).orElseThrow().exitCode())
                .isEqualTo(Executor.WRAPPER_FAILED_EXIT_CODE);
        assertThat(marker).doesNotExist();
    }

    @Test
    void theRecordedPidIsTheWrapperShellAndTheHostMayComeFromTheEnvironment() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("i1"));
        String script = InstanceRecords.wrap(1, dir, " ", "exec sleep 30", Optional.empty(), Optional.empty(), true);
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script);
        builder.environment().put("HOSTNAME", "from-env");
        Process p = builder.start();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            Optional<InstanceRecords.Started> started;
            while ((started = InstanceRecords.readStarted(dir, 1)).isEmpty()) {
                assertThat(System.nanoTime()).as("waiting for the started record").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(started.get().pid()).isEqualTo(p.pid());
            assertThat(started.get().processGroup()).hasValue(p.pid());
            assertThat(started.get().host()).isEqualTo("from-env");
            assertThat(InstanceRecords.process(started.get()).map(ProcessHandle::pid)).hasValue(p.pid());
        } finally {
            // The wrapper first: were its command killed first, it would record the command's end.
            List<ProcessHandle> command = p.descendants().toList();
            p.destroyForcibly();
            p.waitFor();
            command.forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(InstanceRecords.readExit(dir, 1)).as("a killed wrapper leaves no exit record").isEmpty();
    }

    @Test
    void aLiveAttemptIsKnownByTheStartTimeItRecordedItselfWhateverTheRecordsFileTimeSays() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ticks"));
        String script = InstanceRecords.wrap(5, dir, "h", "sleep 30 \"$@\"", Optional.empty(), Optional.empty(), false);
        Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            Optional<InstanceRecords.Started> started;
            while ((started = InstanceRecords.readStarted(dir, 5)).isEmpty()) {
                assertThat(System.nanoTime()).as("waiting for the started record").isLessThan(deadline);
                Thread.sleep(5);
            }
            assumeTrue(Files.exists(Path.of("/proc/self/stat")), "the kernel's start times are read from /proc");
            assertThat(started.get().startTicks()).isEqualTo(InstanceRecords.kernelStartTicks(p.pid()));
            // as on a network filesystem whose server's clock is an hour ahead of this machine's
            Files.setLastModifiedTime(dir.resolve(InstanceRecords.STARTED),
                    java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(3600)));
            InstanceRecords.Started skewed = InstanceRecords.readStarted(dir, 5).orElseThrow();
            assertThat(InstanceRecords.process(skewed).map(ProcessHandle::pid)).as("the attempt, still running").hasValue(p.pid());

            var reusedPid = new InstanceRecords.Started(5, p.pid(), OptionalLong.empty(), "h", skewed.time(),
                    OptionalLong.of(skewed.startTicks().getAsLong() - 1));
            assertThat(InstanceRecords.process(reusedPid)).as("another process with that pid").isEmpty();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void aRecordForAPidThatStartedAtAnotherTimeIsNotThatProcess() {
        long self = ProcessHandle.current().pid();
        Instant selfStart = ProcessHandle.current().info().startInstant().orElseThrow();
        var now = new InstanceRecords.Started(1, self, OptionalLong.empty(), "h", selfStart);
        var reused = new InstanceRecords.Started(1, self, OptionalLong.empty(), "h", selfStart.plusSeconds(3600));

        assertThat(InstanceRecords.process(now)).isPresent();
        assertThat(InstanceRecords.process(reused)).isEmpty();
    }

    @Test
    void theScriptQuotesPathsHostAndTheCommandWholeForEval() {
        String script = InstanceRecords.wrap(3, Path.of("/tmp/it's here"), "h'x", "echo \"$HOME\" 'a b'",
                Optional.of(Path.of("/o/out file")), Optional.of(Path.of("/e/err")), false);

        assertThat(script).contains("'/tmp/it'\\''s here/started'").contains("'h'\\''x'")
                .contains(">>'/o/out file'").contains("2>>'/e/err'").endsWith("\neval 'echo \"$HOME\" '\\''a b'\\'''\n")
                .contains("\nprintf 'ti 3\\n").startsWith("jobmon_ticks=\n");
        assertThatThrownBy(() -> InstanceRecords.wrap(3, Path.of("/d"), "a\nb", "true", Optional.empty(),
                Optional.empty(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyCommandsThatCouldReplaceTheShellOrItsTrapRunInASubshell() {
        assertThat(InstanceRecords.needsSubshell("python run.py --x 1")).isFalse();
        assertThat(InstanceRecords.needsSubshell("true 1 2")).isFalse();
        assertThat(InstanceRecords.needsSubshell("exec python run.py")).isTrue();
        assertThat(InstanceRecords.needsSubshell("trap 'rm -f x' EXIT; work")).isTrue();
        assertThat(InstanceRecords.wrap(1, Path.of("/d"), "h", "exec x", Optional.empty(), Optional.empty(), false))
                .contains("\n(\neval 'exec x'\n)\njobmon_exit \"$?\"\n").doesNotContain("trap");
        assertThat(InstanceRecords.wrap(1, Path.of("/d"), "h", "x", Optional.empty(), Optional.empty(), false))
                .contains("\ntrap 'jobmon_exit \"$?\"' EXIT\neval 'x'\n").doesNotContain("(\n");
    }

    @Test
    void aBlankCommandSucceeds() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("i1"));
        Run run = run("/bin/sh", InstanceRecords.wrap(1, dir, "h", "  ", Optional.empty(), Optional.empty(), false),
                Map.of());
        assertThat(run.exitCode()).isZero();
        assertThat(InstanceRecords.readExit(dir, 1).orElseThrow().exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("shells")
    void aBatchJobsWrapperRecordsTheSchedulersJobIdAndRefusesToStartWhenAKillOrderWaits(String shell) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(shell.replace('/', '_') + "/job"));
        Path marker = tmp.resolve(shell.replace('/', '_') + "-ran");
        String script = InstanceRecords.wrap(77, dir, "", "touch " + marker, Optional.empty(), Optional.empty(), false,
                "\"$JOB_ID.$SGE_TASK_ID\"");

        Run run = run(shell, script, Map.of("JOB_ID", "8812", "SGE_TASK_ID", "3"));
        assertThat(run.exitCode()).isZero();
        assertThat(InstanceRecords.readStarted(dir, 77).orElseThrow().executorId()).contains("8812.3");
        assertThat(marker).exists();

        Files.delete(marker);
        Files.delete(dir.resolve(InstanceRecords.STARTED));
        InstanceRecords.orderKill(dir, 78); // another attempt's order: not this one's
        assertThat(run(shell, script, Map.of("JOB_ID", "8813")).exitCode()).isZero();
        assertThat(marker).as("another attempt's kill order does not stop this one").exists();

        Files.delete(marker);
        InstanceRecords.orderKill(dir, 77);
        Run refused = run(shell, script, Map.of("JOB_ID", "8814"));
        assertThat(refused.exitCode()).isEqualTo(137);
        assertThat(marker).as("the command never started").doesNotExist();
        InstanceRecords.Exited exit = InstanceRecords.readExit(dir, 77).orElseThrow();
        assertThat(exit.refusedByKillOrder()).isTrue();
        assertThat(exit.exitCode()).isEqualTo(137);
    }
}
