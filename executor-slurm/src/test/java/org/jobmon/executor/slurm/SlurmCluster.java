package org.jobmon.executor.slurm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jobmon.executor.batch.CountingBinDir;
import org.jobmon.executor.batch.SchedulerCommands;

/**
 * The Slurm cluster the tests run against: the one on this machine ({@code .ci/slurm-setup.sh}
 * brings it up). Without one the tests skip with a message; with {@code JOBMON_REQUIRE_SLURM=true}
 * (as CI sets it) they fail instead.
 */
public final class SlurmCluster {
    public static final String REQUIRE_ENV = "JOBMON_REQUIRE_SLURM";
    private static final SchedulerCommands COMMANDS = new SchedulerCommands(Optional.empty(), Duration.ofSeconds(30));

    private SlurmCluster() {
    }

    /** Skips the test (or fails it under CI) unless the controller answers. */
    public static void require() {
        boolean required = Boolean.parseBoolean(System.getenv(REQUIRE_ENV));
        SchedulerCommands.Result r = COMMANDS.run("squeue", List.of("-h", "-o", "%i"));
        if (!r.ok()) {
            if (required) {
                throw new IllegalStateException("a Slurm cluster is required (" + REQUIRE_ENV + "=true) but squeue fails: "
                        + r.complaint() + "; run .ci/slurm-setup.sh");
            }
            assumeTrue(false, "Slurm tests skipped: no cluster answers squeue (" + r.complaint()
                    + "); run .ci/slurm-setup.sh as root to set one up");
        }
    }

    /** Runs a Slurm command for a test. */
    public static SchedulerCommands.Result run(String program, String... args) {
        return COMMANDS.run(program, List.of(args));
    }

    /**
     * sacct's record of one job or array member ({@code 123}, {@code 123_4}) as field name to value
     * (JobName, Partition, ReqCPUS, ReqMem, State, ExitCode, Timelimit), waiting up to 20 s for it to be
     * complete (right after a job ends, slurmdbd may hold a record without its name and partition yet).
     */
    public static Map<String, String> sacct(String executorId) throws InterruptedException {
        List<String> fields = List.of("JobID", "JobName", "Partition", "ReqCPUS", "ReqMem", "State", "ExitCode", "Timelimit");
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        do {
            SchedulerCommands.Result r = run("sacct", "-n", "-P", "-X", "-o", String.join(",", fields), "--starttime=now-6hours",
                    "--jobs=" + executorId);
            last = r.complaint();
            for (String line : r.stdout().split("\n")) {
                String[] v = line.split("\\|", -1);
                if (v.length == fields.size() && v[0].equals(executorId) && !v[2].isEmpty()) {
                    Map<String, String> record = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < v.length; i++) {
                        record.put(fields.get(i), v[i]);
                    }
                    return record;
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < until);
        throw new AssertionError("no accounting record for job " + executorId + ": " + last);
    }

    /**
     * A folder of stand-ins for sbatch, squeue, sacct, scancel and sinfo that log each call to
     * {@code calls.log} in it and run the real one: the executor's {@code bin_dir} in tests that
     * count how often the scheduler is asked.
     */
    public static Path countingBinDir(Path dir) throws IOException {
        return CountingBinDir.create(dir, List.of("sbatch", "squeue", "sacct", "scancel", "sinfo"));
    }

    /** How many times {@code program} was called through {@link #countingBinDir}. */
    public static long calls(Path binDir, String program) throws IOException {
        return CountingBinDir.calls(binDir, program);
    }

    /** The jobs Slurm still has that are pending or running, by id. */
    public static List<String> liveJobs() {
        SchedulerCommands.Result r = run("squeue", "-h", "-r", "-t", "PENDING,RUNNING,COMPLETING,CONFIGURING", "-o", "%i");
        return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
