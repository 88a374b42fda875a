package org.jobmon.executor.sge;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceRecords;

/**
 * How a Grid Engine job ended, from the attempt's own exit record and the job's accounting record
 * (measured on Son of Grid Engine 8.1.9): exit 137 alone is ambiguous, so a kill by the qmaster
 * (failed 37) is told apart by comparing the wallclock with the h_rt asked for and the peak virtual
 * memory with the memory asked for; failed 100 with 137 is a kill from outside (qdel, kill -9), not a
 * resource kill; other failure codes mean Grid Engine could not run the job at all.
 */
final class SgeExits {
    /** Grid Engine's failure code for a limit the qmaster enforced (h_rt, h_cpu, h_vmem). */
    static final int FAILED_LIMIT = 37;
    /** Grid Engine's failure code for a job ended by a signal. */
    static final int FAILED_SIGNAL = 100;

    private SgeExits() {
    }

    /**
     * The end of an attempt, or empty when nothing tells it yet (no exit record, no accounting record).
     *
     * @param exit the wrapper's exit record
     * @param accounting the job's accounting record
     * @param requested what the job asked for, when known
     * @param stderrTail the end of the command's stderr
     * @param vmemEnforced whether memory was asked for as h_vmem (the limit Grid Engine enforces)
     */
    static Optional<ExitInfo> classify(Optional<InstanceRecords.Exited> exit, Optional<Qacct.Record> accounting,
            Optional<Resources> requested, Optional<String> host, OptionalDouble recordWallclock, String stderrTail,
            boolean vmemEnforced) {
        Optional<String> hostname = accounting.map(Qacct.Record::hostname).filter(h -> !h.isBlank()).or(() -> host);
        OptionalDouble wall = accounting.map(Qacct.Record::wallclockSeconds).filter(OptionalDouble::isPresent)
                .orElse(recordWallclock);
        OptionalLong vmem = accounting.map(Qacct.Record::maxvmemBytes).orElse(OptionalLong.empty());
        if (exit.isPresent()) {
            InstanceRecords.Exited x = exit.get();
            if (x.refusedByKillOrder()) {
                return Optional.of(info(ExitKind.KILLED, OptionalInt.of(x.exitCode()), Optional.empty(), "", hostname, wall, vmem,
                        "the job did not start its command: a kill order was waiting for it (its run was stopped or resumed)"));
            }
            if (x.exitCode() == 0) {
                return Optional.of(info(ExitKind.DONE, OptionalInt.of(0), Optional.empty(), "", hostname, wall, vmem, "exited 0"));
            }
            // The command ended on its own with an error. One process over h_vmem fails inside itself (its
            // allocation is refused): with the accounting record, a peak at the memory asked for says so.
            if (vmemEnforced && accounting.isPresent() && nearMemoryLimit(accounting.get(), requested)) {
                return Optional.of(info(ExitKind.RESOURCE_ERROR, OptionalInt.of(x.exitCode()), Optional.of("memory"), stderrTail,
                        hostname, wall, vmem, "exited " + x.exitCode() + " with its peak virtual memory ("
                                + mib(vmem) + ") at the memory it asked for: an allocation over h_vmem failed inside it"));
            }
            return Optional.of(info(ExitKind.APPLICATION_ERROR, OptionalInt.of(x.exitCode()), Optional.empty(), stderrTail, hostname,
                    wall, vmem, "exited " + x.exitCode()));
        }
        if (accounting.isEmpty()) {
            return Optional.empty();
        }
        Qacct.Record a = accounting.get();
        OptionalInt code = OptionalInt.of(a.exitStatus());
        if (a.failed() == FAILED_LIMIT) {
            String resource = limitHit(a, requested);
            return Optional.of(info(ExitKind.RESOURCE_ERROR, code, Optional.of(resource), stderrTail, hostname, wall, vmem,
                    "Grid Engine killed the job for going over its " + (resource.equals("runtime") ? "h_rt" : "memory")
                            + " limit (failed 37: " + a.failedText() + "; ran " + seconds(wall) + ", peak virtual memory "
                            + mib(vmem) + ")"));
        }
        if (a.failed() == FAILED_SIGNAL && a.exitStatus() == 138) {
            return Optional.of(info(ExitKind.RESOURCE_ERROR, code, Optional.of("runtime"), stderrTail, hostname, wall, vmem,
                    "Grid Engine signalled the job at its soft runtime limit (s_rt; failed 100, exit 138)"));
        }
        if (a.failed() == FAILED_SIGNAL || (a.failed() == 0 && (a.exitStatus() == 137 || a.exitStatus() == 143))) {
            return Optional.of(info(ExitKind.KILLED, code, Optional.empty(), stderrTail, hostname, wall, vmem,
                    "the job was killed by a signal (qdel, kill, or an h_cpu limit; failed " + a.failed() + ", exit "
                            + a.exitStatus() + "), not for its memory or runtime"));
        }
        if (a.failed() != 0) {
            return Optional.of(info(ExitKind.UNKNOWN, code, Optional.empty(), stderrTail, hostname, wall, vmem,
                    "Grid Engine could not run the job: failed " + a.failed() + (a.failedText().isBlank() ? "" : " (" + a.failedText() + ")")));
        }
        if (a.exitStatus() == 0) {
            // the wrapper exits 0 only after writing its exit record: the record is late on a shared filesystem
            return Optional.of(info(ExitKind.DONE, code, Optional.empty(), "", hostname, wall, vmem,
                    "exited 0 (from Grid Engine's accounting; the exit record had not appeared yet)"));
        }
        return Optional.of(info(ExitKind.LOST, code, Optional.empty(), stderrTail, hostname, wall, vmem,
                "the job ended with exit status " + a.exitStatus() + " without an exit record: the wrapper around the command was "
                        + "killed or could not write to the instance's folder"));
    }

    /** Which limit a failed-37 job went over: runtime when its wallclock reached its h_rt, else memory. */
    private static String limitHit(Qacct.Record a, Optional<Resources> requested) {
        OptionalLong hrt = requested.map(r -> OptionalLong.of(r.maxRuntimeSeconds())).orElseGet(() -> hrtOf(a.category()));
        if (a.wallclockSeconds().isPresent() && hrt.isPresent()) {
            return a.wallclockSeconds().getAsDouble() >= hrt.getAsLong() - 1 ? "runtime" : "memory";
        }
        return nearMemoryLimit(a, requested) ? "memory" : "runtime";
    }

    private static boolean nearMemoryLimit(Qacct.Record a, Optional<Resources> requested) {
        if (a.maxvmemBytes().isEmpty()) {
            return false;
        }
        // the whole job's memory: as asked, else h_vmem (per slot) from the job's category times its slots
        OptionalLong asked = requested.map(r -> OptionalLong.of(r.memoryMib() * 1024L * 1024L))
                .orElseGet(() -> {
                    OptionalLong perSlot = hvmemOf(a.category());
                    return perSlot.isPresent() ? OptionalLong.of(perSlot.getAsLong() * Math.max(1, a.slots())) : OptionalLong.empty();
                });
        return asked.isPresent() && a.maxvmemBytes().getAsLong() >= asked.getAsLong() * 9 / 10;
    }

    private static final java.util.regex.Pattern HRT = java.util.regex.Pattern.compile("h_rt=([0-9:]+)");
    private static final java.util.regex.Pattern HVMEM = java.util.regex.Pattern.compile("h_vmem=([0-9.]+[KkMmGgTt]?)");

    /** The h_rt a job asked for, in seconds, from its accounting category ("-l h_rt=90,h_vmem=200M"). */
    static OptionalLong hrtOf(String category) {
        java.util.regex.Matcher m = HRT.matcher(category);
        return m.find() ? OptionalLong.of(SgeQueues.seconds(m.group(1))) : OptionalLong.empty();
    }

    /** The h_vmem a job asked for per slot, in bytes, from its accounting category. */
    static OptionalLong hvmemOf(String category) {
        java.util.regex.Matcher m = HVMEM.matcher(category);
        return m.find() ? OptionalLong.of(SgeQueues.mib(m.group(1)) * 1024L * 1024L) : OptionalLong.empty();
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? (bytes.getAsLong() / (1024 * 1024)) + " MiB" : "unknown";
    }

    private static String seconds(OptionalDouble s) {
        return s.isPresent() ? Math.round(s.getAsDouble()) + " s" : "an unknown time";
    }

    private static ExitInfo info(ExitKind kind, OptionalInt code, Optional<String> resource, String stderrTail, Optional<String> host,
            OptionalDouble wall, OptionalLong vmem, String message) {
        return new ExitInfo(kind, code, resource, stderrTail, host, wall, OptionalLong.empty(), message);
    }
}
