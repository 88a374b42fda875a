package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The answer to one submitted request: an executor id, or why it was refused.
 *
 * @param taskInstanceId the request's instance id
 * @param executorId the platform's id for it
 * @param error why there is no executor id
 */
public record Submission(long taskInstanceId, Optional<String> executorId, Optional<String> error) {
    public Submission {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(error, "error is null");
    }

    public static Submission accepted(long taskInstanceId, String executorId) {
        return new Submission(taskInstanceId, Optional.of(executorId), Optional.empty());
    }

    public static Submission refused(long taskInstanceId, String error) {
        return new Submission(taskInstanceId, Optional.empty(), Optional.of(error));
    }
}
