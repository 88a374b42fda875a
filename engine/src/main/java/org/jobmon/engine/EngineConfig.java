package org.jobmon.engine;

import java.time.Duration;

/**
 * Engine tunables. Tests shrink the intervals; nobody should sleep for the defaults.
 *
 * @param workflowRunHeartbeat how often the run heartbeats its row (seed: 30 s)
 * @param maxCycleWait the longest the run loop waits for an event before looking again
 * @param minCycleInterval while instances are in flight, how long a cycle gathers events so that
 *     one transaction carries many transitions
 * @param submitBatchSize instances per executor submission
 */
public record EngineConfig(Duration workflowRunHeartbeat, Duration maxCycleWait, Duration minCycleInterval, int submitBatchSize) {
    public static EngineConfig defaults() {
        return new EngineConfig(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(10), 1000);
    }

    public EngineConfig withWorkflowRunHeartbeat(Duration d) {
        return new EngineConfig(d, maxCycleWait, minCycleInterval, submitBatchSize);
    }

    public EngineConfig withMaxCycleWait(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, d, minCycleInterval, submitBatchSize);
    }

    public EngineConfig withMinCycleInterval(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, maxCycleWait, d, submitBatchSize);
    }
}
