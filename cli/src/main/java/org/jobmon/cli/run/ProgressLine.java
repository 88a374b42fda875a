package org.jobmon.cli.run;

import java.time.Duration;
import java.util.List;

import org.jobmon.cli.TaskCounts;

/**
 * The one progress line a terminal shows: counts, the share done, time since the run started and an
 * estimate of the time left, in the longest form that fits the terminal's width (never wider: a
 * line that wraps cannot be redrawn in place).
 */
final class ProgressLine {
    private ProgressLine() {
    }

    /**
     * @param counts the tasks by status
     * @param doneAtStart how many were done when the run started (earlier runs' work does not speed the estimate)
     * @param elapsed since the run started
     * @param width the terminal's columns
     */
    static String render(TaskCounts counts, int doneAtStart, Duration elapsed, int width) {
        int total = counts.total();
        int percent = total == 0 ? 100 : (int) Math.floor(100.0 * counts.done() / total);
        String eta = eta(counts, doneAtStart, elapsed);
        String time = clock(elapsed);
        List<String> forms = List.of(
                counts + " | " + percent + "% | " + time + " | ETA " + eta,
                percent + "% " + counts.done() + "/" + total + " done, " + counts.running() + " running, " + counts.fatal() + " fatal | "
                        + time + " | ETA " + eta,
                percent + "% " + counts.done() + "/" + total + " r" + counts.running() + " f" + counts.fatal() + " " + time + " ETA " + eta,
                percent + "% ETA " + eta);
        int room = Math.max(1, width - 1); // the last column would wrap on some terminals
        for (String form : forms) {
            if (form.length() <= room) {
                return form;
            }
        }
        String shortest = forms.get(forms.size() - 1);
        return shortest.substring(0, Math.min(room, shortest.length()));
    }

    /** What is left at the rate of this run so far: "--" until a task of this run is done. */
    static String eta(TaskCounts counts, int doneAtStart, Duration elapsed) {
        int left = counts.pending() + counts.running();
        if (left == 0) {
            return clock(Duration.ZERO);
        }
        int doneHere = counts.done() - doneAtStart;
        if (doneHere <= 0 || elapsed.isZero()) {
            return "--";
        }
        return clock(Duration.ofMillis((long) (elapsed.toMillis() / (double) doneHere * left)));
    }

    /** {@code 0:05}, {@code 12:34}, {@code 1:02:03}. */
    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
