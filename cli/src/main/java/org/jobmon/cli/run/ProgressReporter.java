package org.jobmon.cli.run;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.cli.TaskCounts;
import org.jobmon.engine.RunListener;

/**
 * Shows a run's progress. On a terminal, one line rewritten in place whenever the counts change;
 * otherwise (a log file, a pipe, a cluster job's output) a timestamped line when the counts
 * change, at most one a second, and the last counts at the end.
 */
final class ProgressReporter implements RunListener {
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintWriter out;
    private final boolean rewrite;
    private final Clock clock;
    private TaskCounts shown;
    private TaskCounts latest;
    private Instant shownAt;
    private int lineWidth;

    ProgressReporter(PrintWriter out, boolean terminal, Clock clock) {
        this.out = out;
        this.rewrite = terminal;
        this.clock = clock;
    }

    @Override
    public void waiting(String message) {
        out.println(rewrite ? message : stamp() + message);
        out.flush();
    }

    @Override
    public void warning(String message) {
        out.println((rewrite ? "" : stamp()) + "warning: " + message);
        out.flush();
    }

    @Override
    public void bound(long workflowId, long workflowRunId, int tasks, int previouslyDone) {
        String line = "workflow " + workflowId + ", run " + workflowRunId + ": " + tasks + (tasks == 1 ? " task" : " tasks")
                + (previouslyDone > 0 ? ", " + previouslyDone + " already done" : "");
        out.println(rewrite ? line : stamp() + line);
        out.flush();
    }

    @Override
    public void progress(Map<TaskStatus, Integer> counts) {
        TaskCounts now = TaskCounts.of(counts);
        latest = now;
        if (now.equals(shown)) {
            return;
        }
        if (rewrite) {
            show(now);
        } else if (shownAt == null || !clock.instant().isBefore(shownAt.plus(PLAIN_INTERVAL))) {
            show(now);
        }
    }

    /** Ends the display: the last counts if they were held back, and the end of the rewritten line. */
    void finish() {
        if (latest != null && !latest.equals(shown)) {
            show(latest);
        }
        if (rewrite && lineWidth > 0) {
            out.println();
            lineWidth = 0;
        }
        out.flush();
    }

    private void show(TaskCounts counts) {
        if (rewrite) {
            String line = counts.toString();
            out.print("\r" + line + " ".repeat(Math.max(0, lineWidth - line.length())));
            lineWidth = line.length();
        } else {
            out.println(stamp() + counts);
        }
        out.flush();
        shown = counts;
        shownAt = clock.instant();
    }

    private String stamp() {
        return "[" + LocalTime.ofInstant(clock.instant(), clock.getZone()).format(TIME) + "] ";
    }
}
