package org.jobmon.executor.batch;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.QueueLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which queue (partition) of a cluster a request goes to: its own if that queue allows it; else,
 * unless its limits are hard, the queue with the shortest runtime limit that allows it (so that a
 * task whose runtime grows after a kill moves from all.q to long.q); else refused with a message
 * naming the value, the queue and its limit.
 */
public final class QueueChoice {
    private static final Logger log = LoggerFactory.getLogger(QueueChoice.class);

    private QueueChoice() {
    }

    /** A scheduler's own reason why a queue cannot take a request (beyond runtime, cores and memory), or empty. */
    @FunctionalInterface
    public interface Check {
        Optional<String> over(Resources r, QueueLimits queue);
    }

    /** How a scheduler names things in messages. */
    public record Words(String cluster, String runtimeLimit) {
    }

    /**
     * @param queues the cluster's queues; none: the request as given (the scheduler checks it)
     * @param defaultQueue where a request that names no queue goes, when the scheduler puts it in one
     *     queue (Slurm's default partition); empty: the scheduler picks among all (Grid Engine)
     */
    public static Resources validate(Resources r, List<QueueLimits> queues, Optional<String> defaultQueue, Words words, Check extra) {
        if (queues.isEmpty()) {
            return r;
        }
        Optional<String> name = r.queue().or(() -> defaultQueue);
        Optional<QueueLimits> named = name.flatMap(n -> queues.stream().filter(q -> q.name().equals(n)).findFirst());
        if (r.queue().isPresent() && named.isEmpty()) {
            throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, "queue '" + r.queue().get() + "' does not exist in this "
                    + words.cluster() + " cluster: its queues are " + String.join(", ", queues.stream().map(QueueLimits::name).toList()));
        }
        if (named.isPresent()) {
            Optional<String> over = over(r, named.get(), words, extra);
            if (over.isEmpty()) {
                return r;
            }
            if (r.hardLimits() && r.queue().isPresent()) {
                throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, over.get() + " (hard_limits: the task stays in its queue)");
            }
            Optional<QueueLimits> other = fitting(r, queues, words, extra);
            if (other.isPresent()) {
                log.info("{}: the task moves to queue {}", over.get(), other.get().name());
                return r.withQueue(other.get().name());
            }
            throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, over.get() + ", and no other queue allows it");
        }
        if (fitting(r, queues, words, extra).isEmpty()) {
            QueueLimits widest = queues.stream().max(Comparator.comparingLong(QueueLimits::maxRuntimeSeconds)).orElseThrow();
            throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, over(r, widest, words, extra).orElse("the request")
                    + ", and no queue of this cluster allows it");
        }
        return r;
    }

    private static Optional<QueueLimits> fitting(Resources r, List<QueueLimits> queues, Words words, Check extra) {
        return queues.stream().filter(q -> over(r, q, words, extra).isEmpty()).min(Comparator.comparingLong(QueueLimits::maxRuntimeSeconds));
    }

    private static Optional<String> over(Resources r, QueueLimits q, Words words, Check extra) {
        Optional<String> own = extra.over(r, q);
        if (own.isPresent()) {
            return own;
        }
        if (r.maxRuntimeSeconds() > q.maxRuntimeSeconds()) {
            return Optional.of("max_runtime_seconds " + r.maxRuntimeSeconds() + " is more than queue " + q.name() + "'s "
                    + words.runtimeLimit() + " of " + q.maxRuntimeSeconds() + " s (" + dhms(q.maxRuntimeSeconds()) + ")");
        }
        if (r.numCores() > q.maxCores()) {
            return Optional.of("num_cores " + r.numCores() + " is more than queue " + q.name() + " has on one host (" + q.maxCores() + ")");
        }
        if (r.memoryMib() > q.maxMemoryMib()) {
            return Optional.of("m_mem_free " + r.memoryMib() + " MiB is more than queue " + q.name() + " allows ("
                    + q.maxMemoryMib() + " MiB); a number without a unit is GiB, as in the original Jobmon (m_mem_free: 2048 "
                    + "means 2048G): write the unit, e.g. m_mem_free: 2048M");
        }
        return Optional.empty();
    }

    /** Seconds as [D-]H:MM:SS. */
    public static String dhms(long seconds) {
        long s = Math.max(0, seconds);
        long days = s / 86_400;
        String hms = String.format(java.util.Locale.ROOT, "%d:%02d:%02d", (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
        return days > 0 ? days + "-" + hms : hms;
    }
}
