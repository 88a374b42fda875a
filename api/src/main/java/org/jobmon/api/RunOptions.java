package org.jobmon.api;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * How a workflow run behaves: resume (cold or hot), fail fast, timeout and the concurrency limit.
 *
 * @param resume pick up an existing identical workflow where it stopped
 * @param hotResume on resume, leave the previous run's running instances running and adopt them
 * @param failFast stop scheduling after the first task that fails for good
 * @param secondsUntilTimeout end the run ERROR after this long (submitted tasks keep running)
 * @param maxConcurrentlyRunning at most this many task instances submitted or running at once
 * @param otherUsersWorkflow resume a workflow whose runs were all started by other users (refused
 *     otherwise, so nobody takes over a colleague's workflow by mistake; the database's own accounts
 *     and grants are what control access)
 */
public record RunOptions(boolean resume, boolean hotResume, boolean failFast, long secondsUntilTimeout,
        int maxConcurrentlyRunning, boolean otherUsersWorkflow) {
    public static final long DEFAULT_SECONDS_UNTIL_TIMEOUT = 36_000;
    public static final int DEFAULT_MAX_CONCURRENTLY_RUNNING = 10_000;

    public RunOptions {
        if (secondsUntilTimeout <= 0) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT,
                    "seconds_until_timeout " + secondsUntilTimeout + " must be more than zero");
        }
        if (maxConcurrentlyRunning < 0) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT,
                    "max_concurrently_running " + maxConcurrentlyRunning + " must be zero (paused) or more");
        }
    }

    public static RunOptions defaults() {
        return new RunOptions(false, false, false, DEFAULT_SECONDS_UNTIL_TIMEOUT, DEFAULT_MAX_CONCURRENTLY_RUNNING, false);
    }

    public RunOptions withResume(boolean r) {
        return new RunOptions(r, hotResume, failFast, secondsUntilTimeout, maxConcurrentlyRunning, otherUsersWorkflow);
    }

    public RunOptions withHotResume(boolean h) {
        return new RunOptions(resume || h, h, failFast, secondsUntilTimeout, maxConcurrentlyRunning, otherUsersWorkflow);
    }

    public RunOptions withFailFast(boolean f) {
        return new RunOptions(resume, hotResume, f, secondsUntilTimeout, maxConcurrentlyRunning, otherUsersWorkflow);
    }

    public RunOptions withSecondsUntilTimeout(long s) {
        return new RunOptions(resume, hotResume, failFast, s, maxConcurrentlyRunning, otherUsersWorkflow);
    }

    public RunOptions withMaxConcurrentlyRunning(int n) {
        return new RunOptions(resume, hotResume, failFast, secondsUntilTimeout, n, otherUsersWorkflow);
    }

    /** Allows resuming a workflow whose runs were all started by other users. */
    public RunOptions withOtherUsersWorkflow(boolean allow) {
        return new RunOptions(resume, hotResume, failFast, secondsUntilTimeout, maxConcurrentlyRunning, allow);
    }
}
