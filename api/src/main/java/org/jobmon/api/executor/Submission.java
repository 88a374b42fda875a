package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The answer to one submitted request: an executor id, a refusal (the request itself cannot run:
 * the attempt fails and counts), or a refusal for now (the platform could not be asked: the same
 * attempt is submitted again later, with backoff, and does not count).
 *
 * @param taskInstanceId the request's instance id
 * @param executorId the platform's id for it
 * @param error why there is no executor id
 * @param retryLater true when the refusal is the platform's state, not the request's (scheduler
 *     unreachable, over a submission quota)
 */
public record Submission(long taskInstanceId, Optional<String> executorId, Optional<String> error, boolean retryLater) {
    public Submission {
        requireNonNull(executorId, "executorId is null");
        requireNonNull(error, "error is null");
        if (retryLater && executorId.isPresent()) {
            throw new IllegalArgumentException("an accepted submission cannot be retried later");
        }
    }

    public Submission(long taskInstanceId, Optional<String> executorId, Optional<String> error) {
        this(taskInstanceId, executorId, error, false);
    }

    public static Submission accepted(long taskInstanceId, String executorId) {
        return new Submission(taskInstanceId, Optional.of(executorId), Optional.empty());
    }

    /** The request cannot run as it is: the attempt fails (and counts) with {@code error} in its error log. */
    public static Submission refused(long taskInstanceId, String error) {
        return new Submission(taskInstanceId, Optional.empty(), Optional.of(error), false);
    }

    /** The platform cannot take it now ({@code reason}): the engine submits the same attempt again later. */
    public static Submission retryLater(long taskInstanceId, String reason) {
        return new Submission(taskInstanceId, Optional.empty(), Optional.of(reason), true);
    }
}
