package org.jobmon.executor.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.QueueLimits;
import org.jobmon.executor.batch.QueueChoice;
import org.jobmon.executor.batch.SchedulerCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's partitions and their limits, from one {@code sinfo -h -N -o '%P|%l|%c|%m'} (one line
 * per node and partition): MaxTime, the most CPUs and memory of one node. Slurm accepts a
 * {@code --time} over a partition's MaxTime and leaves the job pending forever
 * ({@code PartitionTimeLimit}), so requests are checked here first: a request names a partition that
 * allows it, or moves to one that does (all.q to long.q), or is refused naming the limit.
 *
 * @param partitions each partition's limits
 * @param defaultPartition where a job that names none goes (the one sinfo marks with '*')
 */
record SlurmPartitions(List<QueueLimits> partitions, Optional<String> defaultPartition) {
    private static final Logger log = LoggerFactory.getLogger(SlurmPartitions.class);
    static final String SINFO_FORMAT = "%P|%l|%c|%m";
    private static final QueueChoice.Words WORDS = new QueueChoice.Words("Slurm", "MaxTime");

    /** The partitions, or none when sinfo cannot tell (then Slurm's own checks at submission are all). */
    static SlurmPartitions read(SchedulerCommands commands) {
        SchedulerCommands.Result r = commands.run("sinfo", List.of("-h", "-N", "-o", SINFO_FORMAT));
        if (!r.ok()) {
            log.warn("cannot read Slurm's partitions ({}): requests are checked by sbatch alone", r.complaint());
            return new SlurmPartitions(List.of(), Optional.empty());
        }
        return parse(r.stdout());
    }

    static SlurmPartitions parse(String sinfo) {
        Map<String, long[]> limits = new LinkedHashMap<>(); // runtime, cores, memory
        String dflt = null;
        for (String line : sinfo.split("\n")) {
            String[] f = line.strip().split("\\|");
            if (f.length < 4 || f[0].isBlank()) {
                continue;
            }
            String name = f[0].strip();
            if (name.endsWith("*")) {
                name = name.substring(0, name.length() - 1);
                dflt = name;
            }
            long[] l = limits.computeIfAbsent(name, n -> new long[] {0, 0, 0});
            l[0] = Math.max(l[0], SlurmTimes.limitSeconds(f[1]));
            l[1] = Math.max(l[1], number(f[2]));
            l[2] = Math.max(l[2], number(f[3]));
        }
        List<QueueLimits> partitions = new ArrayList<>();
        limits.forEach((name, l) -> partitions.add(new QueueLimits(name, (int) Math.min(Integer.MAX_VALUE, l[1] == 0 ? Integer.MAX_VALUE : l[1]),
                l[2] == 0 ? Long.MAX_VALUE : l[2], l[0])));
        return new SlurmPartitions(List.copyOf(partitions), Optional.ofNullable(dflt));
    }

    private static long number(String text) {
        String t = text.strip().replace("+", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The request as the cluster can take it (see {@link QueueChoice}), with its runtime in whole minutes as Slurm counts it. */
    Resources validate(Resources r) {
        return QueueChoice.validate(r, partitions, defaultPartition, WORDS, (req, q) -> Optional.empty());
    }
}
