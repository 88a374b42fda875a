package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

import org.jobmon.api.Resources;

/**
 * An instance its platform no longer lists, with what an executor needs to tell how it ended, even
 * one that did not submit it (after a resume): what it asked for (a runtime kill is told from a
 * memory kill by comparing usage with the request) and its folder (the wrapper's records).
 *
 * @param taskInstanceId the attempt
 * @param executorId the platform's id for it
 * @param requested the resources it was submitted with, when the engine knows them
 * @param instanceDir the attempt's folder of records
 * @param stderr the file its command's stderr went to, when not {@link InstanceRecords#STDERR} in its folder
 */
public record GoneInstance(long taskInstanceId, String executorId, Optional<Resources> requested, Path instanceDir,
        Optional<Path> stderr) {
    public GoneInstance {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(requested, "requested is null");
        requireNonNull(instanceDir, "instanceDir is null");
        requireNonNull(stderr, "stderr is null");
    }

    /** Where the command's stderr is. */
    public Path stderrFile() {
        return stderr.orElseGet(() -> instanceDir.resolve(InstanceRecords.STDERR));
    }
}
