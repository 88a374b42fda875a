package org.jobmon.executor.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jobmon.api.executor.JobState;

/**
 * What {@code squeue -h -r -t all -o '%i|%T|%r'} says of each job: one line per job and array member
 * ({@code 123} or {@code 123_4}), its state and the reason it waits. Finished jobs stay listed for
 * the cluster's MinJobAge with their final state.
 */
final class Squeue {
    static final String FORMAT = "%i|%T|%r";

    /** States of a job that has ended: it is gone from the executor's point of view. */
    static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED",
            "BOOT_FAIL", "DEADLINE", "REVOKED");
    /** States of a job that has started and not ended. */
    private static final Set<String> RUNNING = Set.of("RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "STOPPED", "RESIZING",
            "SIGNALING", "STAGE_OUT");
    /** States in which a job waits for someone to release it. */
    private static final Set<String> HELD_STATES = Set.of("REQUEUE_HOLD", "SPECIAL_EXIT");
    /** Pending reasons that mean someone must release the job. */
    private static final Set<String> HELD_REASONS = Set.of("JobHeldUser", "JobHeldAdmin");
    /**
     * Pending reasons that do not clear by waiting: a request over the partition's limits, a node or
     * account that does not exist or is not allowed. The job is reported with its reason and ended
     * after the run's never-started deadline.
     */
    private static final Set<String> NEVER_CLEARS = Set.of("PartitionTimeLimit", "PartitionNodeLimit", "PartitionConfig",
            "ReqNodeNotAvail", "InvalidAccount", "InvalidQOS", "BadConstraints", "DependencyNeverSatisfied", "AccountNotAllowed",
            "QOSNotAllowed", "PartitionInactive", "PartitionDown", "NodeDown", "FrontEndDown", "InactiveLimit", "Licenses",
            "AssocGrpMemLimit");

    private Squeue() {
    }

    /** One line of squeue's output. */
    record Listed(String executorId, String state, String reason) {
        boolean ended() {
            return ENDED.contains(state);
        }
    }

    static List<Listed> parse(String stdout) {
        List<Listed> listed = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.strip().split("\\|", 3);
            if (f.length < 2 || f[0].isBlank()) {
                continue;
            }
            listed.add(new Listed(f[0].strip(), f[1].strip(), f.length > 2 ? f[2].strip() : ""));
        }
        return listed;
    }

    /** Where a listed job that has not ended is, with Slurm's reason when it will not start by itself. */
    static JobState state(Listed l) {
        if (RUNNING.contains(l.state())) {
            return JobState.RUNNING;
        }
        String reason = l.reason();
        // "ReqNodeNotAvail, UnavailableNodes:vm" and "launch failed requeued held": the first word is the reason
        String word = reason.split("[,\\s]", 2)[0];
        if (HELD_STATES.contains(l.state()) || HELD_REASONS.contains(word)) {
            return JobState.held("held in Slurm (" + l.state() + ", reason " + reason + "); scontrol release " + l.executorId()
                    + " releases it");
        }
        if (NEVER_CLEARS.contains(word)) {
            return JobState.held("pending in Slurm with reason " + reason + ", which does not clear by waiting" + advice(word));
        }
        return JobState.QUEUED;
    }

    private static String advice(String reason) {
        return switch (reason) {
            case "PartitionTimeLimit" -> " (its --time is over the partition's MaxTime: ask for less, or name a partition that allows it)";
            case "PartitionNodeLimit", "PartitionConfig", "BadConstraints" -> " (its request does not fit the partition's nodes)";
            case "InvalidAccount", "AccountNotAllowed" -> " (the executor setting project names an account this user may not use)";
            case "InvalidQOS", "QOSNotAllowed" -> " (a QOS this user may not use)";
            default -> "";
        };
    }
}
