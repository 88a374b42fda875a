package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The workflow-level executor choice and its settings (the seed's {@code set_executor}):
 * which executor, where stdout and stderr go, the project, the working directory, and
 * executor-specific extras.
 *
 * @param executorName normalised executor name ({@link ExecutorNames})
 * @param stdout folder for each task's stdout, if any
 * @param stderr folder for each task's stderr, if any
 * @param project the cluster project, if any
 * @param workingDir the folder commands run in, if not the current one
 * @param extra executor-specific settings
 */
public record ExecutorSettings(String executorName, Optional<Path> stdout, Optional<Path> stderr,
        Optional<String> project, Optional<Path> workingDir, Map<String, String> extra) {
    /**
     * The extra setting naming the folder this workflow's runs keep their instances' records in,
     * instead of the engine's ({@code JOBMON_RUN_ROOT}, else {@code runs} in Jobmon's home). On a
     * cluster it must be on a filesystem every compute node shares. The engine reads it; executors
     * ignore it.
     */
    public static final String RUN_ROOT = "run_root";

    public ExecutorSettings {
        executorName = ExecutorNames.normalize(executorName);
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
        requireNonNull(project, "project is null");
        requireNonNull(workingDir, "workingDir is null");
        extra = Map.copyOf(requireNonNull(extra, "extra is null"));
    }

    public static ExecutorSettings of(String executorName) {
        return new ExecutorSettings(executorName, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    public ExecutorSettings withStdout(Path p) {
        return new ExecutorSettings(executorName, Optional.of(p), stderr, project, workingDir, extra);
    }

    public ExecutorSettings withStderr(Path p) {
        return new ExecutorSettings(executorName, stdout, Optional.of(p), project, workingDir, extra);
    }

    public ExecutorSettings withProject(String p) {
        return new ExecutorSettings(executorName, stdout, stderr, Optional.of(p), workingDir, extra);
    }

    public ExecutorSettings withWorkingDir(Path p) {
        return new ExecutorSettings(executorName, stdout, stderr, project, Optional.of(p), extra);
    }

    public ExecutorSettings withExtra(Map<String, String> e) {
        return new ExecutorSettings(executorName, stdout, stderr, project, workingDir, e);
    }

    /**
     * Refuses extra settings other than {@code known} (and {@link #RUN_ROOT}, which the engine
     * reads): for an executor factory's {@code preflight}, so that a misspelt setting is an error
     * before anything is written rather than a setting silently ignored.
     *
     * @throws JobmonException INVALID_ARGUMENT naming the unknown settings and the known ones
     */
    public void requireOnly(String... known) {
        java.util.Set<String> allowed = new java.util.TreeSet<>(java.util.List.of(known));
        java.util.Set<String> unknown = new java.util.TreeSet<>(extra.keySet());
        unknown.removeAll(allowed);
        unknown.remove(RUN_ROOT);
        if (!unknown.isEmpty()) {
            throw new JobmonException(JobmonException.ErrorCode.INVALID_ARGUMENT, "the " + executorName + " executor has no setting "
                    + String.join(", ", unknown) + ": " + (allowed.isEmpty() ? "it has none of its own"
                            : "its settings are " + String.join(", ", allowed))
                    + " (besides stdout, stderr, project, working_dir and run_root, which every executor takes)");
        }
    }

    /**
     * An extra setting that is a whole number from {@code min} to {@code max}, else
     * {@code defaultValue} when it is not set.
     *
     * @throws JobmonException INVALID_ARGUMENT naming the setting, its value and the range
     */
    public int intSetting(String key, int defaultValue, int min, int max) {
        String value = extra.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new JobmonException(JobmonException.ErrorCode.INVALID_ARGUMENT, "the " + executorName + " executor's setting '" + key
                + "' is '" + value + "': give a whole number from " + min + " to " + max + ", e.g. " + key + ": " + defaultValue);
    }
}
