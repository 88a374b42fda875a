package org.jobmon.executor.slurm;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.executor.batch.BatchExecutor.Ended;

/**
 * How a Slurm job ended, from the attempt's own exit record and the job's accounting record (measured
 * on Slurm 22.05 with cgroup v1, allocation lines): TIMEOUT is a runtime kill, OUT_OF_MEMORY a memory
 * kill, CANCELLED a cancel (scancel or an administrator), FAILED with a signal a kill from outside
 * (0:53 is Slurm's mark for an output file it could not open), FAILED n:0 the command's exit code n.
 */
final class SlurmExits {
    /** How long an exit record may wait for its accounting record before it is believed alone. */
    static final Duration ACCOUNTING_GRACE = Duration.ofSeconds(30);
    /** The signal part of ExitCode when Slurm could not open the job's output or error file. */
    static final int OUTPUT_NOT_OPENABLE = 53;

    /** Job states after which Slurm changes nothing more (sacct may list a gone job in another for a few seconds). */
    private static final java.util.Set<String> FINAL = java.util.Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY",
            "NODE_FAIL", "BOOT_FAIL", "PREEMPTED", "DEADLINE", "REVOKED", "SPECIAL_EXIT");

    private SlurmExits() {
    }

    /** Whether a job in this state has ended for good. */
    static boolean settled(String state) {
        return FINAL.contains(state);
    }

    /**
     * The end of an attempt, or empty when it cannot be told yet.
     *
     * @param requested what the job asked for, when known
     * @param outputPlaces where Slurm writes the job's own output and error files (named when it could not)
     * @param waited how long the engine has been asking
     */
    static Optional<ExitInfo> classify(Ended<Sacct.Record> e, Optional<Resources> requested, String outputPlaces, Duration waited) {
        Optional<InstanceRecords.Exited> exit = e.exit();
        Optional<Sacct.Record> acct = e.accounting();
        String host = acct.map(Sacct.Record::node).filter(n -> !n.isBlank() && !n.equals("None assigned")).or(e::host).orElse("");
        OptionalDouble wall = acct.flatMap(a -> a.elapsedSeconds().isPresent() ? Optional.of(a.elapsedSeconds()) : Optional.empty())
                .orElse(e.wallclock());
        OptionalLong rss = acct.map(Sacct.Record::maxRssBytes).orElse(OptionalLong.empty());
        if (exit.isPresent() && exit.get().refusedByKillOrder()) {
            return Optional.of(on(ExitInfo.killed("the job did not start its command: a kill order was waiting for it (its run was "
                    + "stopped or resumed)").withExitCode(exit.get().exitCode()), host, wall, rss));
        }
        if (exit.isPresent() && exit.get().exitCode() == 0) {
            return Optional.of(on(ExitInfo.done(), host, wall, rss));
        }
        if (acct.isPresent() && !settled(acct.get().state())) {
            acct = Optional.empty(); // sacct has not caught up with a job squeue no longer lists: judged as if it had no record yet
        }
        if (acct.isEmpty()) {
            if (exit.isPresent() && waited.compareTo(ACCOUNTING_GRACE) >= 0) {
                return Optional.of(on(ExitInfo.failed(exit.get().exitCode(), e.stderrTail(), "exited " + exit.get().exitCode()
                        + " (Slurm has no accounting record of the job)"), host, wall, rss));
            }
            return Optional.empty();
        }
        Sacct.Record a = acct.get();
        int code = exit.map(InstanceRecords.Exited::exitCode).orElse(a.exitCode().orElse(-1));
        String ran = "ran " + seconds(wall) + ", peak RSS " + SlurmTimes.mib(rss);
        ExitInfo info = switch (a.state()) {
            case "TIMEOUT" -> ExitInfo.resourceKilled(ExitInfo.RUNTIME, "Slurm ended the job at its time limit (TIMEOUT; "
                    + requested.map(r -> "--time=" + SlurmTimes.minutes(r.maxRuntimeSeconds()) + " min for max_runtime_seconds "
                            + r.maxRuntimeSeconds() + ", Slurm counts whole minutes; ").orElse("") + ran + ")");
            case "OUT_OF_MEMORY" -> ExitInfo.resourceKilled(ExitInfo.MEMORY, "Slurm killed the job for going over its memory (OUT_OF_MEMORY; "
                    + requested.map(r -> "--mem=" + r.memoryMib() + "M; ").orElse("") + ran + ")");
            case "CANCELLED" -> ExitInfo.killed("the job was cancelled (scancel or an administrator; state CANCELLED), not for its "
                    + "memory or runtime");
            case "PREEMPTED" -> ExitInfo.killed("Slurm preempted the job for another (state PREEMPTED)");
            case "DEADLINE" -> ExitInfo.killed("Slurm ended the job at its deadline (state DEADLINE)");
            case "NODE_FAIL", "BOOT_FAIL" -> ExitInfo.lost("the node of the job failed (state " + a.state() + (host.isEmpty() ? "" : ", node "
                    + host) + ")");
            case "COMPLETED" -> exit.isPresent() ? ExitInfo.failed(code, e.stderrTail())
                    : ExitInfo.done().withExitCode(0);
            case "FAILED" -> failed(a, exit, code, e.stderrTail(), outputPlaces);
            default -> ExitInfo.unknown("Slurm's record of the job says " + a.state() + " (ExitCode " + exitCode(a) + ")");
        };
        if (info.exitCode().isEmpty() && code >= 0 && !a.state().equals("COMPLETED")) {
            info = info.withExitCode(code);
        }
        if (info.kind() != ExitInfo.ExitKind.DONE && info.stderrTail().isEmpty()) {
            info = info.withStderrTail(e.stderrTail());
        }
        return Optional.of(on(info, host, wall, rss));
    }

    private static ExitInfo failed(Sacct.Record a, Optional<InstanceRecords.Exited> exit, int code, String tail, String outputPlaces) {
        int signal = a.signal().orElse(0);
        if (exit.isEmpty() && signal == OUTPUT_NOT_OPENABLE) {
            return ExitInfo.unknown("Slurm could not open the job's output or error file (ExitCode 0:53): " + outputPlaces
                    + " must exist and be writable on the compute node (the run folder must be on a filesystem the nodes share)");
        }
        if (exit.isEmpty() && signal != 0) {
            return ExitInfo.killed("the job was killed by signal " + signal + " from outside Slurm's limits (kill, or a node's "
                    + "out-of-memory killer outside the job's cgroup; FAILED " + exitCode(a) + "), not for its memory or runtime");
        }
        if (exit.isPresent()) {
            return ExitInfo.failed(code, tail);
        }
        return ExitInfo.failed(code, tail, "exited " + code + " (from Slurm's accounting; the exit record had not appeared yet)");
    }

    private static String exitCode(Sacct.Record a) {
        return (a.exitCode().isPresent() ? a.exitCode().getAsInt() : "?") + ":" + (a.signal().isPresent() ? a.signal().getAsInt() : "?");
    }

    private static ExitInfo on(ExitInfo info, String host, OptionalDouble wall, OptionalLong rss) {
        return new ExitInfo(info.kind(), info.exitCode(), info.resource(), info.stderrTail(),
                host.isEmpty() ? info.hostname() : Optional.of(host), wall.isPresent() ? wall : info.wallclockSeconds(), rss, info.message());
    }

    private static String seconds(OptionalDouble s) {
        return s.isPresent() ? Math.round(s.getAsDouble()) + " s" : "an unknown time";
    }
}
