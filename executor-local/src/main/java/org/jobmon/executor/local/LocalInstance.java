package org.jobmon.executor.local;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceRequest;

/**
 * One attempt on this machine: what was asked, the slots it holds, its process once started,
 * and how its ending is described. The process and the kill request are volatile: the worker that
 * starts the instance sets the first and checks the second, {@code terminate} does the opposite,
 * so one of them always sees the other and kills the process.
 */
final class LocalInstance {
    private final InstanceRequest request;
    private final String executorId;
    private final int slots;
    private volatile Process process;
    private volatile boolean killRequested;
    private long startNanos;

    LocalInstance(InstanceRequest request, String executorId, int slots) {
        this.request = request;
        this.executorId = executorId;
        this.slots = slots;
    }

    InstanceRequest request() {
        return request;
    }

    long taskInstanceId() {
        return request.taskInstanceId();
    }

    String executorId() {
        return executorId;
    }

    int slots() {
        return slots;
    }

    /** The process, or null while it is being started. */
    Process process() {
        return process;
    }

    boolean killRequested() {
        return killRequested;
    }

    void requestKill() {
        killRequested = true;
    }

    void started(Process p, long nanos) {
        this.startNanos = nanos;
        this.process = p;
    }

    /**
     * Kills the shell and everything it started. Descendants are listed before the shell dies,
     * because afterwards they are re-parented and no longer found through it.
     */
    void killProcessTree() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = p.descendants().collect(Collectors.toList());
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** How the started process ended, given its exit code (reads the stderr tail on failure). */
    ExitInfo exitInfo(int exitCode, long endNanos, String hostname) {
        OptionalDouble wallclock = OptionalDouble.of((endNanos - startNanos) / 1e9);
        Optional<String> host = Optional.of(hostname);
        if (exitCode == 0) {
            return new ExitInfo(ExitKind.DONE, OptionalInt.of(0), Optional.empty(), "", host, wallclock,
                    OptionalLong.empty(), "The command finished with exit code 0.");
        }
        String shellComplaints = LocalProcessLauncher.shellComplaints(process);
        String tail = StderrTail.read(LocalProcessLauncher.stderrFile(request));
        String stderrTail = shellComplaints.isEmpty() ? tail
                : tail.isEmpty() ? shellComplaints
                : shellComplaints + "\n" + tail;
        if (killRequested) {
            return new ExitInfo(ExitKind.KILLED, OptionalInt.of(exitCode), Optional.empty(), stderrTail, host,
                    wallclock, OptionalLong.empty(), "The command was killed because Jobmon terminated it.");
        }
        if (exitCode == Executor.WRAPPER_FAILED_EXIT_CODE && !shellComplaints.isEmpty()) {
            String cause = shellComplaints.lines().findFirst().orElse("");
            return new ExitInfo(ExitKind.APPLICATION_ERROR, OptionalInt.of(exitCode), Optional.empty(), stderrTail,
                    host, wallclock, OptionalLong.empty(), "The command could not be started: " + cause + ".");
        }
        String message = "The command failed with exit code " + exitCode
                + (exitCode > 128 && exitCode < 128 + 65
                        ? ", which usually means signal " + (exitCode - 128) + " killed it (not Jobmon)." : ".");
        return new ExitInfo(ExitKind.APPLICATION_ERROR, OptionalInt.of(exitCode), Optional.empty(), stderrTail, host,
                wallclock, OptionalLong.empty(), message);
    }

    /** The ending of an attempt whose command could not be started: the reserved wrapper-failed code. */
    ExitInfo startFailed(String cause, String hostname) {
        return new ExitInfo(ExitKind.APPLICATION_ERROR, OptionalInt.of(Executor.WRAPPER_FAILED_EXIT_CODE),
                Optional.empty(), cause, Optional.of(hostname), OptionalDouble.empty(), OptionalLong.empty(),
                "The command could not be started: " + cause + ".");
    }

    /** The ending of an attempt terminated while it waited for a slot. */
    ExitInfo killedBeforeStart() {
        return new ExitInfo(ExitKind.KILLED, OptionalInt.empty(), Optional.empty(), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), "The instance was terminated before it started.");
    }
}
