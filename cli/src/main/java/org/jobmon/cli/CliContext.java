package org.jobmon.cli;

import static java.util.Objects.requireNonNull;

import java.time.Clock;

import org.jobmon.cli.spec.KnownExecutors;

/**
 * What commands get from outside the command line: the engine, the clock for progress lines,
 * whether stdout is a terminal, and the executors a spec may name. Tests pass their own.
 *
 * @param engine runs workflows
 * @param clock time for progress lines and their pacing
 * @param terminal stdout is a terminal: progress rewrites one line instead of printing lines
 * @param executors the executor names specs may use
 */
public record CliContext(RunEngine engine, Clock clock, boolean terminal, KnownExecutors executors) {
    public CliContext {
        requireNonNull(engine, "engine is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(executors, "executors is null");
    }

    /** The real thing: Jobmon's engine, the system clock, the console and the installed executors. */
    public static CliContext system() {
        return new CliContext(RunEngine.jobmon(), Clock.systemDefaultZone(), System.console() != null,
                KnownExecutors.installed());
    }

    public CliContext withClock(Clock c) {
        return new CliContext(engine, c, terminal, executors);
    }

    public CliContext withTerminal(boolean t) {
        return new CliContext(engine, clock, t, executors);
    }
}
