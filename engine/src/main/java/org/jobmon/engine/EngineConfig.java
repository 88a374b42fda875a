package org.jobmon.engine;

import java.time.Duration;

/**
 * Engine tunables. Tests shrink the intervals; nobody should sleep for the defaults.
 *
 * @param workflowRunHeartbeat how often the run heartbeats its row (seed: 30 s)
 * @param maxCycleWait the longest the run loop waits for an event before looking again
 * @param submitBatchSize instances per executor submission
 */
public record EngineConfig(Duration workflowRunHeartbeat, Duration maxCycleWait, int submitBatchSize) {
    public static EngineConfig defaults() {
        return new EngineConfig(Duration.ofSeconds(30), Duration.ofSeconds(1), 1000);
    }

    public EngineConfig withWorkflowRunHeartbeat(Duration d) {
        return new EngineConfig(d, maxCycleWait, submitBatchSize);
    }

    public EngineConfig withMaxCycleWait(Duration d) {
        return new EngineConfig(workflowRunHeartbeat, d, submitBatchSize);
    }
}
