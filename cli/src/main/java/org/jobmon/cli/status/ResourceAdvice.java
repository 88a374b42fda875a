package org.jobmon.cli.status;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.jobmon.persistence.dao.UsageDao.DoneAttempt;

/**
 * What a task template's DONE attempts used, and what to ask for next time. The rule (cli/README.md):
 * <ul>
 * <li>memory: the highest peak RSS times {@value #MEMORY_MARGIN}, rounded up to a multiple of
 * {@value #MEMORY_STEP_MIB} MiB;</li>
 * <li>runtime: the 95th percentile of wallclock times {@value #RUNTIME_MARGIN}, rounded up to whole
 * minutes (Slurm counts whole minutes; Grid Engine takes them), at least one;</li>
 * <li>cores: the most any of those attempts asked for (cores used are not measured);</li>
 * <li>queue: the queue most of them asked for.</li>
 * </ul>
 * Percentiles are nearest-rank: the p-th of n sorted values is the ceil(p/100 * n)-th.
 */
public record ResourceAdvice(int attempts, Summary runtimeSeconds, Summary maxRssBytes, OptionalLong memoryMib,
        OptionalLong maxRuntimeSeconds, OptionalInt numCores, Optional<String> queue) {
    public static final double MEMORY_MARGIN = 1.2;
    public static final long MEMORY_STEP_MIB = 128;
    public static final double RUNTIME_MARGIN = 1.5;

    /** min, median, p95 and max of the attempts that have the value; {@code n} of them. */
    public record Summary(int n, double min, double median, double p95, double max) {
        static Optional<Summary> of(double[] values) {
            if (values.length == 0) {
                return Optional.empty();
            }
            double[] v = values.clone();
            Arrays.sort(v);
            return Optional.of(new Summary(v.length, v[0], percentile(v, 50), percentile(v, 95), v[v.length - 1]));
        }

        static final Summary NONE = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Nearest rank over sorted values. */
    static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public static ResourceAdvice of(Collection<DoneAttempt> done) {
        double[] runtimes = done.stream().map(DoneAttempt::wallclockSeconds).filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        double[] rss = done.stream().map(DoneAttempt::maxRssBytes).filter(Objects::nonNull).mapToDouble(Long::doubleValue).toArray();
        Summary runtime = Summary.of(runtimes).orElse(Summary.NONE);
        Summary memory = Summary.of(rss).orElse(Summary.NONE);
        OptionalLong memoryMib = memory.n() == 0 ? OptionalLong.empty() : OptionalLong.of(memoryMib(memory.max()));
        OptionalLong runtimeSeconds = runtime.n() == 0 ? OptionalLong.empty() : OptionalLong.of(runtimeSeconds(runtime.p95()));
        OptionalInt cores = done.stream().map(DoneAttempt::numCores).filter(Objects::nonNull).mapToInt(Integer::intValue).max();
        Map<String, Integer> queues = new HashMap<>();
        done.stream().map(DoneAttempt::queue).filter(q -> q != null && !q.isBlank()).forEach(q -> queues.merge(q, 1, Integer::sum));
        Optional<String> queue = queues.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).thenComparing(Map.Entry::getKey,
                        Comparator.reverseOrder()))
                .map(Map.Entry::getKey);
        return new ResourceAdvice(done.size(), runtime, memory, memoryMib, runtimeSeconds, cores, queue);
    }

    /** The rule's memory for a peak of {@code maxRssBytes}, in MiB. */
    static long memoryMib(double maxRssBytes) {
        double mib = maxRssBytes * MEMORY_MARGIN / (1024.0 * 1024.0);
        return Math.max(MEMORY_STEP_MIB, (long) Math.ceil(mib / MEMORY_STEP_MIB) * MEMORY_STEP_MIB);
    }

    /** The rule's runtime for a 95th percentile of {@code p95Seconds}, in seconds. */
    static long runtimeSeconds(double p95Seconds) {
        return Math.max(60, (long) Math.ceil(p95Seconds * RUNTIME_MARGIN / 60.0) * 60);
    }

    /** {@code 12.3 s}, or {@code 1:02:03} from a minute on. */
    public static String formatSeconds(double seconds) {
        if (seconds < 60) {
            return String.format(java.util.Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** The attempts' workflows, for the heading. */
    static List<Long> workflows(Collection<DoneAttempt> done) {
        return done.stream().map(DoneAttempt::workflowId).distinct().sorted().toList();
    }
}
