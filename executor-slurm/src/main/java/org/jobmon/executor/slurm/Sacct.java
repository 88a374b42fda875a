package org.jobmon.executor.slurm;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Slurm's accounting records from {@code sacct -n -P -j IDS -o JobID,State,ExitCode,Elapsed,MaxRSS,NodeList}:
 * one allocation line per job or array member ({@code 123}, {@code 123_4}) with its state and
 * {@code code:signal}, and one line per step ({@code 123_4.batch}) that carries the peak RSS.
 */
final class Sacct {
    static final String FORMAT = "JobID,State,ExitCode,Elapsed,MaxRSS,NodeList";

    private Sacct() {
    }

    /**
     * One job's record.
     *
     * @param executorId {@code 123} or {@code 123_4}
     * @param state COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, ... ("CANCELLED by 0" is CANCELLED)
     * @param exitCode the code part of ExitCode, when known
     * @param signal the signal part of ExitCode, when known
     * @param elapsedSeconds the wallclock
     * @param maxRssBytes the highest MaxRSS of its steps
     * @param node where it ran
     */
    record Record(String executorId, String state, OptionalInt exitCode, OptionalInt signal, OptionalDouble elapsedSeconds,
            OptionalLong maxRssBytes, String node) {
        /** A record of only a state, from squeue (when Slurm keeps no accounting). */
        static Record ofState(String executorId, String state) {
            return new Record(executorId, state, OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.empty(), OptionalLong.empty(), "");
        }

        /** Another state, from squeue: sacct's exit code and signal belonged to the state it had, so they go too. */
        Record withState(String newState) {
            return new Record(executorId, newState, OptionalInt.empty(), OptionalInt.empty(), elapsedSeconds, maxRssBytes, node);
        }

        Record withMaxRss(OptionalLong bytes) {
            if (bytes.isEmpty() || (maxRssBytes.isPresent() && maxRssBytes.getAsLong() >= bytes.getAsLong())) {
                return this;
            }
            return new Record(executorId, state, exitCode, signal, elapsedSeconds, bytes, node);
        }
    }

    /** The records by executor id, the peak RSS of each job's steps folded into its record. */
    static Map<String, Record> parse(String stdout) {
        Map<String, Record> jobs = new HashMap<>();
        Map<String, OptionalLong> stepRss = new HashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 6 || f[0].isBlank()) {
                continue;
            }
            String id = f[0].strip();
            int dot = id.indexOf('.');
            OptionalLong rss = SlurmTimes.bytes(f[4]);
            if (dot >= 0) {
                String job = id.substring(0, dot);
                if (rss.isPresent()) {
                    stepRss.merge(job, rss, (a, b) -> a.getAsLong() >= b.getAsLong() ? a : b);
                }
                continue;
            }
            String state = f[1].strip().split("\\s+", 2)[0];
            OptionalInt code = OptionalInt.empty();
            OptionalInt signal = OptionalInt.empty();
            String[] cs = f[2].strip().split(":");
            if (cs.length == 2) {
                try {
                    code = OptionalInt.of(Integer.parseInt(cs[0]));
                    signal = OptionalInt.of(Integer.parseInt(cs[1]));
                } catch (NumberFormatException e) {
                    // left unknown
                }
            }
            jobs.put(id, new Record(id, state, code, signal, SlurmTimes.seconds(f[3]), rss, f[5].strip()));
        }
        stepRss.forEach((job, rss) -> jobs.computeIfPresent(job, (k, r) -> r.withMaxRss(rss)));
        return jobs;
    }
}
