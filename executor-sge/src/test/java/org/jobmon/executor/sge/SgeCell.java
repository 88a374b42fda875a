package org.jobmon.executor.sge;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jobmon.executor.batch.CountingBinDir;
import org.jobmon.executor.batch.SchedulerCommands;

/**
 * The Grid Engine cell the tests run against: the one on this machine ({@code .ci/sge-setup.sh}
 * brings it up). Without one the tests skip with a message; with {@code JOBMON_REQUIRE_SGE=true}
 * (as CI sets it) they fail instead.
 */
public final class SgeCell {
    public static final String REQUIRE_ENV = "JOBMON_REQUIRE_SGE";
    private static final SchedulerCommands COMMANDS = new SchedulerCommands(Optional.empty(), Duration.ofSeconds(30));

    private SgeCell() {
    }

    /** Skips the test (or fails it under CI) unless a qmaster answers. */
    public static void require() {
        boolean required = Boolean.parseBoolean(System.getenv(REQUIRE_ENV));
        SchedulerCommands.Result r = COMMANDS.run("qstat", List.of("-xml"));
        if (!r.ok()) {
            if (required) {
                throw new IllegalStateException("a Grid Engine cell is required (" + REQUIRE_ENV + "=true) but qstat fails: "
                        + r.complaint() + "; run .ci/sge-setup.sh");
            }
            assumeTrue(false, "Grid Engine tests skipped: no cell answers qstat (" + r.complaint()
                    + "); run .ci/sge-setup.sh as root to set one up");
        }
    }

    /** Runs a Grid Engine command for a test. */
    public static SchedulerCommands.Result run(String program, String... args) {
        return COMMANDS.run(program, List.of(args));
    }

    /** The accounting record of one job or array member, waiting up to 20 s for it. */
    public static String qacct(String executorId) throws InterruptedException {
        int dot = executorId.indexOf('.');
        String[] args = dot < 0 ? new String[] {"-j", executorId}
                : new String[] {"-j", executorId.substring(0, dot), "-t", executorId.substring(dot + 1)};
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        SchedulerCommands.Result r;
        do {
            r = run("qacct", args);
            if (r.ok()) {
                return r.stdout();
            }
            Thread.sleep(200);
        } while (System.nanoTime() < until);
        throw new AssertionError("no accounting record for job " + executorId + ": " + r.complaint());
    }

    /**
     * A folder of stand-ins for qsub, qstat, qacct, qdel and qconf that log each call to
     * {@code calls.log} in it and run the real one: the executor's {@code bin_dir} in tests that
     * count how often the scheduler is asked.
     */
    public static Path countingBinDir(Path dir) throws IOException {
        return CountingBinDir.create(dir, List.of("qsub", "qstat", "qacct", "qdel", "qconf"));
    }

    /** How many times {@code program} was called through {@link #countingBinDir}. */
    public static long calls(Path binDir, String program) throws IOException {
        return CountingBinDir.calls(binDir, program);
    }

    /** Stops the qmaster (as a restart or a crash would), waiting until qstat fails. */
    public static void stopQmaster() throws InterruptedException {
        run("qconf", "-km");
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (run("qstat", "-xml").ok()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the qmaster did not stop within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** Starts the qmaster again with the repository's setup script, which waits until the cell works. */
    public static void startQmaster() throws IOException, InterruptedException {
        Path script = Path.of("").toAbsolutePath();
        while (script != null && !Files.exists(script.resolve(".ci/sge-setup.sh"))) {
            script = script.getParent();
        }
        if (script == null) {
            throw new AssertionError(".ci/sge-setup.sh not found above " + Path.of("").toAbsolutePath());
        }
        Process p = new ProcessBuilder("bash", script.resolve(".ci/sge-setup.sh").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(".ci/sge-setup.sh did not bring the cell back");
        }
    }
}
