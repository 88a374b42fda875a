package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jobmon.api.ExecutorParameters.ResourceScale;

/**
 * Fully resolved resources in canonical units: what an executor is asked to provide.
 *
 * @param numCores cores
 * @param memoryMib memory in MiB (the seed's m_mem_free)
 * @param maxRuntimeSeconds wall-clock limit in seconds
 * @param queue the queue, when the platform has queues
 * @param contextArgs environment variables and executor-specific extras
 * @param resourceScales how resources grow after a resource kill
 * @param hardLimits when true, never move to another queue to fit a scaled request
 */
public record Resources(int numCores, long memoryMib, long maxRuntimeSeconds, Optional<String> queue,
        Map<String, String> contextArgs, Map<String, ResourceScale> resourceScales, boolean hardLimits) {
    public static final String NUM_CORES = "num_cores";
    public static final String M_MEM_FREE = "m_mem_free";
    public static final String MAX_RUNTIME_SECONDS = "max_runtime_seconds";
    public static final Set<String> SCALABLE = Set.of(NUM_CORES, M_MEM_FREE, MAX_RUNTIME_SECONDS);

    public Resources {
        requireNonNull(queue, "queue is null");
        contextArgs = Map.copyOf(requireNonNull(contextArgs, "contextArgs is null"));
        resourceScales = Map.copyOf(requireNonNull(resourceScales, "resourceScales is null"));
    }

    public Resources withNumCores(int cores) {
        return new Resources(cores, memoryMib, maxRuntimeSeconds, queue, contextArgs, resourceScales, hardLimits);
    }

    public Resources withMemoryMib(long mib) {
        return new Resources(numCores, mib, maxRuntimeSeconds, queue, contextArgs, resourceScales, hardLimits);
    }

    public Resources withMaxRuntimeSeconds(long seconds) {
        return new Resources(numCores, memoryMib, seconds, queue, contextArgs, resourceScales, hardLimits);
    }

    public Resources withQueue(String q) {
        return new Resources(numCores, memoryMib, maxRuntimeSeconds, Optional.of(q), contextArgs, resourceScales, hardLimits);
    }
}
