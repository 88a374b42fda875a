package org.jobmon.executor.sge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.QueueLimits;
import org.jobmon.executor.batch.QueueChoice;
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
     * The request as the cluster can take it (see {@link QueueChoice}); num_cores above 1 also needs
     * the parallel environment in the queue's pe_list.
     */
    static Resources validate(Resources r, List<Queue> queues, String pe) {
        Map<String, Queue> byName = new HashMap<>();
        queues.forEach(q -> byName.put(q.limits().name(), q));
        return QueueChoice.validate(r, queues.stream().map(Queue::limits).toList(), Optional.empty(), WORDS, (req, limits) -> {
            Queue queue = byName.get(limits.name());
            if (req.numCores() > 1 && !queue.pes().contains(pe)) {
                return Optional.of("num_cores " + req.numCores() + " needs the parallel environment '" + pe + "', which queue "
                        + limits.name() + " does not offer (its pe_list: " + (queue.pes().isEmpty() ? "none"
                                : String.join(", ", queue.pes())) + "; the executor setting pe names another)");
            }
            return Optional.empty();
        });
    }

    private static final QueueChoice.Words WORDS = new QueueChoice.Words("Grid Engine", "h_rt");
}
