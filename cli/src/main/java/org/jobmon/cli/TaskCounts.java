package org.jobmon.cli;

import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;

/**
 * Task counts in the buckets people read: PENDING (G, Q, I, E, A), RUNNING (R), DONE (D),
 * FATAL (F), as the seed's status commands show them.
 */
public record TaskCounts(int pending, int running, int done, int fatal) {
    public static TaskCounts of(Map<TaskStatus, Integer> byStatus) {
        int pending = 0;
        int running = 0;
        int done = 0;
        int fatal = 0;
        for (Map.Entry<TaskStatus, Integer> e : byStatus.entrySet()) {
            int n = e.getValue() == null ? 0 : e.getValue();
            switch (e.getKey()) {
                case REGISTERED, QUEUED_FOR_INSTANTIATION, INSTANTIATED, ERROR_RECOVERABLE, ADJUSTING_RESOURCES -> pending += n;
                case RUNNING -> running += n;
                case DONE -> done += n;
                case ERROR_FATAL -> fatal += n;
            }
        }
        return new TaskCounts(pending, running, done, fatal);
    }

    public int total() {
        return pending + running + done + fatal;
    }

    /** {@code 31 tasks: 5 done, 2 running, 24 pending, 0 fatal}. */
    @Override
    public String toString() {
        return total() + (total() == 1 ? " task: " : " tasks: ") + done + " done, " + running + " running, "
                + pending + " pending, " + fatal + " fatal";
    }
}
