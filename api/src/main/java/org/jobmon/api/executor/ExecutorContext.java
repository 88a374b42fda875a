package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

import org.jobmon.api.ExecutorSettings;

/**
 * What an executor gets from the engine for one workflow run.
 *
 * @param workDir this run's folder for instance records, created by the engine
 * @param settings the workflow's executor settings (stdout, stderr, project, working_dir, extras)
 * @param events where executors that watch their instances report starts and exits
 * @param config engine tunables an executor may read (heartbeat intervals and the like)
 */
public record ExecutorContext(Path workDir, ExecutorSettings settings, InstanceEventSink events,
        Map<String, String> config) {
    public ExecutorContext {
        requireNonNull(workDir, "workDir is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(events, "events is null");
        config = Map.copyOf(requireNonNull(config, "config is null"));
    }
}
