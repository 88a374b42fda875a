package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code jobmon} run as a separate controller process, as a user would start it, with short
 * heartbeats; its output goes to files so a test can read them after it ends.
 */
final class ControllerProcess {
    final Process process;
    final Path stdout;
    final Path stderr;

    private ControllerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ControllerProcess start(Path dir, String db, String... args) throws IOException {
        return startWithHeartbeat("1s", dir, db, args);
    }

    /** A controller whose run heartbeats every {@code heartbeat} (its lease lasts 3.1 times that). */
    static ControllerProcess startWithHeartbeat(String heartbeat, Path dir, String db, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djobmon.workflow_run_heartbeat=" + heartbeat, "-Djobmon.instance_heartbeat=500ms",
                "-cp", System.getProperty("java.class.path"), "org.jobmon.cli.JobmonCli", "--db", db));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "controller", ".out");
        Path err = Files.createTempFile(dir, "controller", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ControllerProcess(p, out, err);
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    /**
     * Sends the signal twice, 50 ms apart, from one shell (its kill is a builtin): two separately
     * started kill commands can be far enough apart on a loaded machine that the stop the first one
     * asked for has already finished.
     */
    void signalTwice(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + name + " \"$1\" && sleep 0.05 && kill -" + name + " \"$1\"", "sh",
                Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    int awaitExit() throws InterruptedException, IOException {
        return awaitExit(30);
    }

    int awaitExit(int seconds) throws InterruptedException, IOException {
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("controller ended; " + output()).isTrue();
        return process.exitValue();
    }

    String output() throws IOException {
        return "stdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 30, condition);
    }

    static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
