package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

import org.jobmon.api.Resources;

/**
 * One attempt to run a task.
 *
 * @param taskInstanceId the attempt's id; every record about it carries this id
 * @param taskId the task's id
 * @param taskName the task's name (job names, file names)
 * @param command the shell command
 * @param resources what it may use
 * @param instanceDir the attempt's own folder for records (not yet created)
 * @param stdout file the command's stdout goes to, if any
 * @param stderr file the command's stderr goes to, if any (else a file in instanceDir)
 * @param workingDir folder the command runs in, if not the engine's
 * @param templateName the task's template (batch executors submit the ready tasks of one template
 *     with identical requests as one array job); empty when unknown
 */
public record InstanceRequest(long taskInstanceId, long taskId, String taskName, String command, Resources resources,
        Path instanceDir, Optional<Path> stdout, Optional<Path> stderr, Optional<Path> workingDir, String templateName) {
    public InstanceRequest {
        requireNonNull(taskName, "taskName is null");
        requireNonNull(command, "command is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(instanceDir, "instanceDir is null");
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
        requireNonNull(workingDir, "workingDir is null");
        requireNonNull(templateName, "templateName is null");
    }

    public InstanceRequest(long taskInstanceId, long taskId, String taskName, String command, Resources resources,
            Path instanceDir, Optional<Path> stdout, Optional<Path> stderr, Optional<Path> workingDir) {
        this(taskInstanceId, taskId, taskName, command, resources, instanceDir, stdout, stderr, workingDir, "");
    }
}
