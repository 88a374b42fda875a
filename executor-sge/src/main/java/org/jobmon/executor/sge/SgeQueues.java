package org.jobmon.executor.sge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.QueueLimits;
import org.jobmon.executor.batch.SchedulerCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's queues and their limits, read with {@code qconf -sql} and {@code qconf -sq}: h_rt
 * (runtime), h_vmem (memory per slot), slots and whether the parallel environment is in the queue's
 * pe_list (cores). They validate requests and let a task whose runtime grows after a kill move to a
 * queue that allows it (all.q to long.q).
 */
final class SgeQueues {
    private static final Logger log = LoggerFactory.getLogger(SgeQueues.class);

    private SgeQueues() {
    }

    /** A queue's limits and the parallel environments it offers (its pe_list). */
    record Queue(QueueLimits limits, java.util.Set<String> pes) {
    }

    /** The queues the cluster has, or none when qconf cannot tell (then Grid Engine's own -w e check is all). */
    static List<Queue> read(SchedulerCommands commands) {
        SchedulerCommands.Result list = commands.run("qconf", List.of("-sql"));
        if (!list.ok()) {
            log.warn("cannot read Grid Engine's queues ({}): requests are checked by qsub -w e alone", list.complaint());
            return List.of();
        }
        List<Queue> queues = new ArrayList<>();
        for (String name : list.stdout().strip().split("\\s+")) {
            if (name.isBlank()) {
                continue;
            }
            SchedulerCommands.Result q = commands.run("qconf", List.of("-sq", name));
            if (q.ok()) {
                queues.add(parse(name, q.stdout()));
            }
        }
        return List.copyOf(queues);
    }

    /** One queue from {@code qconf -sq NAME}. */
    static Queue parse(String name, String text) {
        Map<String, String> f = new HashMap<>();
        String key = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && key != null) {
                f.merge(key, " " + line.trim(), String::concat); // a continued value
                continue;
            }
            String[] kv = line.trim().split("\\s+", 2);
            key = kv[0];
            f.put(key, kv.length > 1 ? kv[1].replace("\\", "").trim() : "");
        }
        int slots = (int) Math.min(Integer.MAX_VALUE, maxNumber(f.getOrDefault("slots", "")).orElse((long) Integer.MAX_VALUE));
        long runtime = seconds(f.getOrDefault("h_rt", "INFINITY"));
        long memory = mib(f.getOrDefault("h_vmem", "INFINITY"));
        java.util.Set<String> pes = new java.util.TreeSet<>();
        for (String pe : f.getOrDefault("pe_list", "").split("[\\s,]+")) {
            if (!pe.isBlank() && !pe.equalsIgnoreCase("NONE") && !pe.startsWith("[")) {
                pes.add(pe);
            }
        }
        return new Queue(new QueueLimits(name, slots, memory == Long.MAX_VALUE ? Long.MAX_VALUE : memory * Math.max(1, slots), runtime),
                java.util.Set.copyOf(pes));
    }

    private static Optional<Long> maxNumber(String text) {
        Matcher m = Pattern.compile("(?:=|^|,)\\s*(\\d+)").matcher(text);
        Long max = null;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            max = max == null ? n : Math.max(max, n);
        }
        return Optional.ofNullable(max);
    }

    /** "72:00:00", "3600", "INFINITY" to seconds (Long.MAX_VALUE for no limit). */
    static long seconds(String v) {
        String t = v.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("INFINITY")) {
            return Long.MAX_VALUE;
        }
        String[] parts = t.split(":");
        long s = 0;
        try {
            for (String p : parts) {
                s = s * 60 + Long.parseLong(p.trim());
            }
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
        return s;
    }

    /** "4G", "512M", "INFINITY" to MiB (Long.MAX_VALUE for no limit). */
    static long mib(String v) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)([KkMmGgTt]?)").matcher(v.trim());
        if (!m.matches()) {
            return Long.MAX_VALUE;
        }
        double n = Double.parseDouble(m.group(1));
        return switch (m.group(2).toUpperCase()) {
            case "K" -> (long) Math.ceil(n / 1024);
            case "M" -> (long) n;
            case "G" -> (long) (n * 1024);
            case "T" -> (long) (n * 1024 * 1024);
            default -> (long) Math.ceil(n / (1024 * 1024));
        };
    }

    /**
     * The request as the cluster can take it: in its queue if that queue allows it; else, without
     * hard limits, in the queue with the shortest runtime limit that allows it; else refused naming
     * the value and the limit.
     */
    static Resources validate(Resources r, List<Queue> queues, String pe) {
        if (queues.isEmpty()) {
            return r;
        }
        if (r.queue().isPresent()) {
            Optional<Queue> named = queues.stream().filter(q -> q.limits().name().equals(r.queue().get())).findFirst();
            if (named.isEmpty()) {
                throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, "queue '" + r.queue().get()
                        + "' does not exist in this Grid Engine cluster: its queues are "
                        + String.join(", ", queues.stream().map(q -> q.limits().name()).toList()));
            }
            Optional<String> over = over(r, named.get(), pe);
            if (over.isEmpty()) {
                return r;
            }
            if (r.hardLimits()) {
                throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, over.get() + " (hard_limits: the task stays in its queue)");
            }
            Optional<Queue> other = fitting(r, queues, pe);
            if (other.isPresent()) {
                log.info("{}: the task moves to queue {}", over.get(), other.get().limits().name());
                return r.withQueue(other.get().limits().name());
            }
            throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, over.get() + ", and no other queue allows it");
        }
        if (fitting(r, queues, pe).isEmpty()) {
            Queue widest = queues.stream().max(Comparator.comparingLong(q -> q.limits().maxRuntimeSeconds())).orElseThrow();
            throw new JobmonException(ErrorCode.RESOURCES_UNSATISFIABLE, over(r, widest, pe).orElse("the request")
                    + ", and no queue of this cluster allows it");
        }
        return r;
    }

    private static Optional<Queue> fitting(Resources r, List<Queue> queues, String pe) {
        return queues.stream().filter(q -> over(r, q, pe).isEmpty()).min(Comparator.comparingLong(q -> q.limits().maxRuntimeSeconds()));
    }

    private static Optional<String> over(Resources r, Queue queue, String pe) {
        if (r.numCores() > 1 && !queue.pes().contains(pe)) {
            return Optional.of("num_cores " + r.numCores() + " needs the parallel environment '" + pe + "', which queue "
                    + queue.limits().name() + " does not offer (its pe_list: " + (queue.pes().isEmpty() ? "none" : String.join(", ",
                            queue.pes())) + "; the executor setting pe names another)");
        }
        return over(r, queue.limits());
    }

    private static Optional<String> over(Resources r, QueueLimits q) {
        if (r.maxRuntimeSeconds() > q.maxRuntimeSeconds()) {
            return Optional.of("max_runtime_seconds " + r.maxRuntimeSeconds() + " is more than queue " + q.name() + "'s h_rt of "
                    + q.maxRuntimeSeconds() + " s (" + SgeExecutor.hms(q.maxRuntimeSeconds()) + ")");
        }
        if (r.numCores() > q.maxCores()) {
            return Optional.of("num_cores " + r.numCores() + " is more than queue " + q.name() + " has slots on one host ("
                    + q.maxCores() + ")");
        }
        if (r.memoryMib() > q.maxMemoryMib()) {
            return Optional.of("m_mem_free " + r.memoryMib() + " MiB is more than queue " + q.name() + " allows ("
                    + q.maxMemoryMib() + " MiB); a number without a unit is GiB, as in the original Jobmon (m_mem_free: 2048 "
                    + "means 2048G): write the unit, e.g. m_mem_free: 2048M");
        }
        return Optional.empty();
    }
}
