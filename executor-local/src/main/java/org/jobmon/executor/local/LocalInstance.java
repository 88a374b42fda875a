package org.jobmon.executor.local;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;

/**
 * One attempt on this machine: what was asked, the slots it holds, its process once started, why
 * Jobmon killed it (if it did), the most memory its process tree was seen to hold, and how its
 * ending is described. The process and the kill are volatile: the worker that starts the instance
 * sets the first and checks the second, {@code terminate} and the monitor do the opposite, so one of
 * them always sees the other and kills the process.
 */
final class LocalInstance {
    static final long MIB = 1024 * 1024;
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT",
            9, "SIGKILL", 11, "SIGSEGV", 13, "SIGPIPE", 15, "SIGTERM", 24, "SIGXCPU", 25, "SIGXFSZ");

    /** Why Jobmon killed an instance. */
    enum Reason {
        /** terminate() or a KILL_SELF order in the instance folder. */
        ORDER,
        /** Past max_runtime_seconds. */
        RUNTIME,
        /** Past m_mem_free. */
        MEMORY
    }

    /** A kill decided by Jobmon: the first one wins. */
    record Kill(Reason reason, String message) {
    }

    private final InstanceRequest request;
    private final String executorId;
    private final int slots;
    private final AtomicReference<Kill> kill = new AtomicReference<>();
    private volatile Process process;
    private volatile boolean leadsGroup;
    private volatile long startNanos;
    private volatile long maxRssBytes = -1;

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

    Resources resources() {
        return request.resources();
    }

    /** The process, or null while it is being started. */
    Process process() {
        return process;
    }

    long startNanos() {
        return startNanos;
    }

    /** When the runtime limit runs out, in {@link System#nanoTime()}; only meaningful with a limit. */
    long runtimeDeadlineNanos() {
        return startNanos + request.resources().maxRuntimeSeconds() * 1_000_000_000L;
    }

    boolean hasRuntimeLimit() {
        return request.resources().maxRuntimeSeconds() > 0;
    }

    boolean killRequested() {
        return kill.get() != null;
    }

    /** Marks the instance as killed on order (terminate, KILL_SELF), unless Jobmon already killed it. */
    void requestKill() {
        kill.compareAndSet(null, new Kill(Reason.ORDER, "killed on order"));
    }

    /** Marks the instance as killed for a resource; false if it was already being killed. */
    boolean killForResource(Reason reason, String message) {
        return kill.compareAndSet(null, new Kill(reason, message));
    }

    void started(Process p, long nanos, boolean leadsProcessGroup) {
        this.startNanos = nanos;
        this.leadsGroup = leadsProcessGroup;
        this.process = p;
    }

    /** Records a sample of the tree's resident memory. Only the monitor thread calls this. */
    void sampledRss(long bytes) {
        if (bytes > maxRssBytes) {
            maxRssBytes = bytes;
        }
    }

    OptionalLong maxRssBytes() {
        long max = maxRssBytes;
        return max >= 0 ? OptionalLong.of(max) : OptionalLong.empty();
    }

    /** Kills the shell, everything it started, and what is left in its process group. */
    void killProcessTree() {
        killProcessTrees(List.of(this));
    }

    /** {@link #killProcessTree()} for many instances, with one scan for what is left in their groups. */
    static void killProcessTrees(Collection<LocalInstance> instances) {
        Map<Process, Boolean> roots = new HashMap<>();
        for (LocalInstance instance : instances) {
            Process p = instance.process;
            if (p != null) {
                roots.put(p, instance.leadsGroup);
            }
        }
        if (!roots.isEmpty()) {
            ProcessTree.kill(roots);
        }
    }

    /**
     * How the started process ended, given its exit code. A zero exit is DONE even if a kill was
     * under way (the command had finished). Otherwise a kill by Jobmon explains it; else the exit
     * record does (the wrapper writes it for every end it sees); an attempt without one whose shell
     * died of a signal was killed from outside Jobmon.
     */
    ExitInfo exitInfo(int exitCode, long endNanos, String hostname) {
        double seconds = (endNanos - startNanos) / 1e9;
        return describe(exitCode, seconds).withExitCode(exitCode).ranOn(hostname, seconds).withMaxRssBytes(maxRssBytes());
    }

    private ExitInfo describe(int exitCode, double seconds) {
        if (exitCode == 0) {
            return ExitInfo.done();
        }
        String shellComplaints = LocalProcessLauncher.shellComplaints(process);
        String tail = StderrTail.read(LocalProcessLauncher.stderrFile(request));
        String stderrTail = shellComplaints.isEmpty() ? tail
                : tail.isEmpty() ? shellComplaints
                : shellComplaints + "\n" + tail;
        Kill k = kill.get();
        if (k != null && k.reason() == Reason.ORDER) {
            return ExitInfo.killed(String.format(Locale.ROOT,
                    "The command was killed on order (terminate or KILL_SELF) after %.2f s.", seconds)).withStderrTail(stderrTail);
        }
        if (k != null) {
            return ExitInfo.resourceKilled(k.reason() == Reason.MEMORY ? ExitInfo.MEMORY : ExitInfo.RUNTIME, k.message())
                    .withStderrTail(stderrTail);
        }
        boolean recorded = InstanceRecords.readExit(request.instanceDir(), request.taskInstanceId()).isPresent();
        if (exitCode == Executor.WRAPPER_FAILED_EXIT_CODE && !shellComplaints.isEmpty()) {
            String cause = shellComplaints.lines().findFirst().orElse("");
            return ExitInfo.failed(exitCode, stderrTail, "The command could not be started: " + cause + ".");
        }
        boolean signalled = exitCode > 128 && exitCode < 128 + 65;
        String signal = signalled ? (exitCode - 128) + (SIGNALS.containsKey(exitCode - 128) ? " (" + SIGNALS.get(exitCode - 128) + ")" : "")
                : "";
        if (!recorded && signalled) {
            return ExitInfo.killed(String.format(Locale.ROOT, "The command was killed by signal %s from outside Jobmon after %.2f s: "
                    + "its wrapper died without an exit record.", signal, seconds)).withStderrTail(stderrTail);
        }
        if (!recorded && exitCode == Executor.WRAPPER_FAILED_EXIT_CODE) {
            return ExitInfo.failed(exitCode, stderrTail, "The Jobmon wrapper failed (exit code " + exitCode
                    + ") and wrote no exit record; the stderr tail says why.");
        }
        if (signalled) {
            return ExitInfo.failed(exitCode, stderrTail, "The command failed with exit code " + exitCode
                    + ", which usually means signal " + signal + " killed it from outside Jobmon"
                    + (exitCode == 137 ? " (someone, or the kernel's out-of-memory killer)." : "."));
        }
        return ExitInfo.failed(exitCode, stderrTail);
    }

    /** The ending of an attempt whose command could not be started: the reserved wrapper-failed code. */
    static ExitInfo startFailed(String cause, String hostname) {
        return ExitInfo.startFailed(cause).ranOn(hostname, -1);
    }

    /** The ending of an attempt terminated while it waited for a slot. */
    static ExitInfo killedBeforeStart() {
        return ExitInfo.killed("The instance was killed on order before it started.");
    }

    /** m_mem_free as people write it: "100M", "2G". */
    static String memoryLimit(long mib) {
        return mib % 1024 == 0 ? (mib / 1024) + "G" : mib + "M";
    }
}
