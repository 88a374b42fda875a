package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.cli.MutableClock;
import org.jobmon.cli.TaskCounts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The progress line on a fake terminal: one line, redrawn in place, never wider than the terminal. */
class ProgressReporterTest {
    private final MutableClock clock = MutableClock.at("2025-01-01T12:00:00Z");
    private final StringWriter screen = new StringWriter();

    private static Map<TaskStatus, Integer> counts(int pending, int running, int done, int fatal) {
        return CliTestSupport.counts(pending, running, done, fatal);
    }

    /** What each redraw put on the line: the text between carriage returns, without the erase code. */
    private List<String> redraws() {
        String text = screen.toString();
        return List.of(text.split("\r")).stream().skip(1).map(s -> s.replace("\u001b[K", "")).toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 160})
    void everyRedrawIsOneLineThatFitsTheTerminal(int columns) {
        ProgressReporter p = new ProgressReporter(new PrintWriter(screen), true, clock, () -> columns);
        p.bound(1, 1, 100_000, 0);
        for (int done = 0; done <= 100_000; done += 12_345) {
            clock.advance(Duration.ofSeconds(37));
            p.progress(counts(100_000 - done - 2, 2, done, 0));
        }
        p.progress(counts(0, 0, 99_990, 10));
        int redrawsBeforeEnd = redraws().size();
        p.finish();

        assertThat(redrawsBeforeEnd).isGreaterThan(5);
        String[] lines = screen.toString().split("\n", -1);
        assertThat(lines).as("the bound line, the progress line (redrawn in place), the end").hasSize(3);
        assertThat(redraws()).allSatisfy(r -> {
            assertThat(r.strip()).doesNotContain("\n");
            assertThat(r.strip().length()).isLessThan(columns);
        });
        String last = redraws().get(redraws().size() - 1).strip();
        if (columns >= 160) {
            assertThat(last).isEqualTo("100000 tasks: 99990 done, 0 running, 0 pending, 10 fatal | 99% | 5:33 | ETA 0:00");
        } else {
            assertThat(last).contains("99%").contains("ETA 0:00");
        }
    }

    @Test
    void theEstimateCountsOnlyThisRunsWorkAndTheElapsedTimeTicks() {
        TaskCounts half = new TaskCounts(40, 10, 50, 0);
        assertThat(ProgressLine.eta(half, 0, Duration.ofMinutes(5))).isEqualTo("5:00");
        assertThat(ProgressLine.eta(half, 40, Duration.ofMinutes(5))).as("10 done by this run in 5 minutes, 50 left").isEqualTo("25:00");
        assertThat(ProgressLine.eta(half, 50, Duration.ofMinutes(5))).isEqualTo("--");
        assertThat(ProgressLine.clock(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
        assertThat(ProgressLine.render(half, 0, Duration.ofSeconds(61), 12)).hasSizeLessThan(12).startsWith("50% ETA");
    }

    @Test
    void aStopOrAWarningStartsOnALineOfItsOwnAndReadsAsASentence() {
        ProgressReporter p = new ProgressReporter(new PrintWriter(screen), true, clock, () -> 80);
        p.progress(counts(8, 2, 0, 0));
        p.stopping("Ctrl-C: stopping the run (Ctrl-C again to quit at once).");
        p.progress(counts(8, 0, 0, 0));
        p.finish();
        assertThat(screen.toString()).contains("ETA --\u001b[K\nCtrl-C: stopping the run (Ctrl-C again to quit at once).\n\r");
    }

    @Test
    void pipedCountsHeldBackAreShownWhenTheSecondIsUpEvenIfNothingChangesAfterThem() throws Exception {
        java.time.Clock real = java.time.Clock.systemDefaultZone();
        ProgressReporter p = new ProgressReporter(new PrintWriter(screen), false, real, () -> 80);
        p.progress(counts(10, 0, 0, 0));
        p.progress(counts(9, 1, 0, 0)); // held back: within a second of the first line
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!screen.toString().contains("1 running") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(screen.toString()).as("the held-back counts, before the run ends").contains("0 done, 1 running, 9 pending");
        p.finish();
    }
}
