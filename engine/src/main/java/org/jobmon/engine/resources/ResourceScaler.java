package org.jobmon.engine.resources;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jobmon.api.ExecutorParameters.ResourceScale;
import org.jobmon.api.ResourceParser;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.QueueLimits;

/**
 * Grows a task's resources after a resource kill: the resource that ran out becomes
 * {@code ceil(v * (1 + scale))} (cumulative over kills), or the next value of an explicit list.
 * The result is capped at the queue's limit; without hard limits, a runtime the queue cannot
 * allow moves the task to the queue with the smallest limit that does.
 */
public final class ResourceScaler {
    private final List<QueueLimits> queues;

    public ResourceScaler(List<QueueLimits> queues) {
        this.queues = List.copyOf(queues);
    }

    /** What scaling did, for the error log. */
    public record Scaled(Resources resources, String description) {
    }

    /**
     * @param current the resources of the attempt that was killed
     * @param resource what ran out: "memory", "runtime", or empty when the platform could not tell
     *     (then every resource with a scale grows)
     * @param kills how many resource kills this task has had, this one included (picks list values)
     */
    public Scaled scale(Resources current, Optional<String> resource, int kills) {
        Resources r = current;
        StringBuilder said = new StringBuilder();
        boolean memory = resource.isEmpty() || resource.get().equals("memory");
        boolean runtime = resource.isEmpty() || resource.get().equals("runtime");
        boolean cores = resource.isPresent() && resource.get().equals("cores");
        if (memory && r.resourceScales().containsKey(Resources.M_MEM_FREE)) {
            long next = next(r.memoryMib(), r.resourceScales().get(Resources.M_MEM_FREE), kills, true);
            said.append("m_mem_free ").append(ResourceParser.formatMemory(r.memoryMib())).append(" -> ")
                    .append(ResourceParser.formatMemory(next)).append("; ");
            r = r.withMemoryMib(next);
        }
        if (runtime && r.resourceScales().containsKey(Resources.MAX_RUNTIME_SECONDS)) {
            long next = next(r.maxRuntimeSeconds(), r.resourceScales().get(Resources.MAX_RUNTIME_SECONDS), kills, false);
            said.append("max_runtime_seconds ").append(r.maxRuntimeSeconds()).append(" -> ").append(next).append("; ");
            r = r.withMaxRuntimeSeconds(next);
        }
        if ((cores || resource.isEmpty()) && r.resourceScales().containsKey(Resources.NUM_CORES)) {
            long next = next(r.numCores(), r.resourceScales().get(Resources.NUM_CORES), kills, false);
            said.append("num_cores ").append(r.numCores()).append(" -> ").append(next).append("; ");
            r = r.withNumCores((int) Math.min(Integer.MAX_VALUE, next));
        }
        r = fitQueue(r, said);
        String text = said.length() == 0 ? "no resource_scales apply, so the retry asks for the same resources"
                : said.substring(0, said.length() - 2);
        return new Scaled(r, text);
    }

    private static long next(long value, ResourceScale scale, int kills, boolean memory) {
        if (scale.factor().isPresent()) {
            return (long) Math.ceil(value * (1 + scale.factor().get()) - 1e-9);
        }
        List<Object> values = scale.values();
        Object v = values.get(Math.min(kills, values.size()) - 1);
        return memory ? ResourceParser.memoryMib("resource_scales.m_mem_free", v)
                : ResourceParser.runtimeSeconds("resource_scales value", v);
    }

    private Resources fitQueue(Resources r, StringBuilder said) {
        if (queues.isEmpty()) {
            return r;
        }
        Optional<QueueLimits> current = r.queue().flatMap(q -> queues.stream().filter(l -> l.name().equals(q)).findFirst());
        if (current.isEmpty()) {
            return r;
        }
        QueueLimits q = current.get();
        if (r.maxRuntimeSeconds() > q.maxRuntimeSeconds() && !r.hardLimits()) {
            Resources probe = r;
            Optional<QueueLimits> bigger = queues.stream()
                    .filter(l -> l.maxRuntimeSeconds() >= probe.maxRuntimeSeconds() && l.maxMemoryMib() >= probe.memoryMib()
                            && l.maxCores() >= probe.numCores())
                    .min(Comparator.comparingLong(QueueLimits::maxRuntimeSeconds));
            if (bigger.isPresent()) {
                said.append("queue ").append(q.name()).append(" -> ").append(bigger.get().name()).append(" (")
                        .append(q.name()).append(" allows ").append(q.maxRuntimeSeconds()).append(" s); ");
                return r.withQueue(bigger.get().name());
            }
        }
        Resources capped = r.withMemoryMib(Math.min(r.memoryMib(), q.maxMemoryMib()))
                .withMaxRuntimeSeconds(Math.min(r.maxRuntimeSeconds(), q.maxRuntimeSeconds()))
                .withNumCores(Math.min(r.numCores(), q.maxCores()));
        if (!capped.equals(r)) {
            said.append("capped at queue ").append(q.name()).append("'s limits; ");
        }
        return capped;
    }
}
