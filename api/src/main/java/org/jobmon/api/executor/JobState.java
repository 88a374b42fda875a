package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

/**
 * Where a live instance is, as its platform tells it, with the platform's reason where it gives
 * one ({@code "job held by user"}, {@code "can't open output file"}, a pending reason that never clears).
 *
 * @param state queued, running, held or in error
 * @param reason the platform's words, or empty
 */
public record JobState(Executor.InstanceState state, String reason) {
    public static final JobState QUEUED = new JobState(Executor.InstanceState.QUEUED, "");
    public static final JobState RUNNING = new JobState(Executor.InstanceState.RUNNING, "");

    public JobState {
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
    }

    /** Waiting, but not to be started until someone releases it: ended after the run's never-started deadline. */
    public static JobState held(String reason) {
        return new JobState(Executor.InstanceState.HELD, reason);
    }

    /** The platform will not run it as it is (Grid Engine's Eqw): ended at once with the reason. */
    public static JobState error(String reason) {
        return new JobState(Executor.InstanceState.ERROR, reason);
    }
}
