package org.jobmon.cli.run;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.cli.TaskCounts;
import org.jobmon.engine.RunListener;

/**
 * Shows a run's progress. On a terminal, one line redrawn in place that never gets wider than the
 * terminal ({@link ProgressLine}: counts, the share done, elapsed time, an estimate), ticking once
 * a second; anything else it prints (a warning, a stop) starts on a line of its own. Otherwise (a
 * log file, a pipe, a cluster job's output) a timestamped line when the counts change, at most one
 * a second; counts held back are printed when the second is up, so the last state is never lost.
 */
final class ProgressReporter implements RunListener {
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Erases from the cursor to the end of the line. */
    private static final String CLEAR_TO_END = "\u001b[K";

    private final PrintWriter out;
    private final boolean rewrite;
    private final Clock clock;
    private final IntSupplier width;
    private final Instant startedAt;
    private final ScheduledExecutorService ticker;
    private TaskCounts shown;
    private TaskCounts latest;
    private Instant shownAt;
    private int doneAtStart;
    /** Whether a progress line is on the screen without its end of line. */
    private boolean lineOpen;
    private boolean flushScheduled;

    ProgressReporter(PrintWriter out, boolean terminal, Clock clock) {
        this(out, terminal, clock, TerminalWidth::current);
    }

    ProgressReporter(PrintWriter out, boolean terminal, Clock clock, IntSupplier width) {
        this.out = out;
        this.rewrite = terminal;
        this.clock = clock;
        this.width = width;
        this.startedAt = clock.instant();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobmon-progress");
            t.setDaemon(true);
            return t;
        });
        if (terminal) {
            ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void waiting(String message) {
        line(message);
    }

    @Override
    public synchronized void warning(String message) {
        line("warning: " + message);
    }

    @Override
    public synchronized void stopping(String message) {
        line(message);
    }

    @Override
    public synchronized void bound(long workflowId, long workflowRunId, int tasks, int previouslyDone) {
        doneAtStart = previouslyDone;
        line("workflow " + workflowId + ", run " + workflowRunId + ": " + tasks + (tasks == 1 ? " task" : " tasks")
                + (previouslyDone > 0 ? ", " + previouslyDone + " already done" : ""));
    }

    @Override
    public synchronized void progress(Map<TaskStatus, Integer> counts) {
        TaskCounts now = TaskCounts.of(counts);
        latest = now;
        if (now.equals(shown)) {
            return;
        }
        if (rewrite || shownAt == null || !clock.instant().isBefore(shownAt.plus(PLAIN_INTERVAL))) {
            show(now);
        } else if (!flushScheduled) {
            // held back: shown when the second is up, even if nothing changes after it
            flushScheduled = true;
            long wait = Math.max(1, Duration.between(clock.instant(), shownAt.plus(PLAIN_INTERVAL)).toMillis());
            ticker.schedule(this::flushHeldBack, wait, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void flushHeldBack() {
        flushScheduled = false;
        if (latest != null && !latest.equals(shown)) {
            show(latest);
        }
    }

    /** On a terminal, the elapsed time and the estimate move on even when no count changes. */
    private synchronized void tick() {
        if (latest != null) {
            show(latest);
        }
    }

    /** Ends the display: the last counts if they were held back, and the end of the redrawn line. */
    synchronized void finish() {
        ticker.shutdownNow();
        if (latest != null && !latest.equals(shown)) {
            show(latest);
        }
        endLine();
        out.flush();
    }

    /** A line of its own: below the progress line, which is drawn again under it at the next change. */
    private void line(String text) {
        endLine();
        out.println(rewrite ? text : stamp() + text);
        out.flush();
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    private void show(TaskCounts counts) {
        if (rewrite) {
            String line = ProgressLine.render(counts, doneAtStart, Duration.between(startedAt, clock.instant()), width.getAsInt());
            out.print("\r" + line + CLEAR_TO_END);
            lineOpen = true;
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
