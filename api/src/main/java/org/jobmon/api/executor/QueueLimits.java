package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

/**
 * What one queue of a platform allows an instance to use.
 *
 * @param name the queue's name ("all.q", "long.q")
 * @param maxCores most cores one instance may ask for
 * @param maxMemoryMib most memory one instance may ask for, in MiB
 * @param maxRuntimeSeconds longest runtime one instance may ask for
 */
public record QueueLimits(String name, int maxCores, long maxMemoryMib, long maxRuntimeSeconds) {
    public QueueLimits {
        requireNonNull(name, "name is null");
    }

    /** No limit worth naming: for platforms without queues. */
    public static QueueLimits unlimited(String name) {
        return new QueueLimits(name, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);
    }
}
