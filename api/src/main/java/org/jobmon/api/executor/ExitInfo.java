package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How an instance ended.
 *
 * @param kind the classification the engine acts on
 * @param exitCode the process's exit code, when known
 * @param resource for RESOURCE_ERROR, which ran out: "memory", "runtime" or "cores"
 * @param stderrTail the last lines of stderr (for the error log)
 * @param hostname where it ran
 * @param wallclockSeconds how long it ran
 * @param maxRssBytes peak resident memory of its process tree, when measured
 * @param message a sentence for people: what happened
 */
public record ExitInfo(ExitKind kind, OptionalInt exitCode, Optional<String> resource, String stderrTail,
        Optional<String> hostname, OptionalDouble wallclockSeconds, OptionalLong maxRssBytes, String message) {
    public ExitInfo {
        requireNonNull(kind, "kind is null");
        requireNonNull(exitCode, "exitCode is null");
        requireNonNull(resource, "resource is null");
        requireNonNull(stderrTail, "stderrTail is null");
        requireNonNull(hostname, "hostname is null");
        requireNonNull(wallclockSeconds, "wallclockSeconds is null");
        requireNonNull(maxRssBytes, "maxRssBytes is null");
        requireNonNull(message, "message is null");
    }

    /** The resource of a RESOURCE_ERROR for memory. */
    public static final String MEMORY = "memory";
    /** The resource of a RESOURCE_ERROR for runtime. */
    public static final String RUNTIME = "runtime";

    /** A normal end with exit code 0, on {@code hostname} after {@code wallclockSeconds}. */
    public static ExitInfo done(String hostname, double wallclockSeconds) {
        return done().ranOn(hostname, wallclockSeconds);
    }

    /** A normal end with exit code 0; add where and how long with {@link #ranOn}. */
    public static ExitInfo done() {
        return new ExitInfo(ExitKind.DONE, OptionalInt.of(0), Optional.empty(), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), "The command finished with exit code 0.");
    }

    /** The command failed with {@code exitCode}; {@code stderrTail} goes to the task's error log. */
    public static ExitInfo failed(int exitCode, String stderrTail, String message) {
        return new ExitInfo(ExitKind.APPLICATION_ERROR, OptionalInt.of(exitCode), Optional.empty(), stderrTail,
                Optional.empty(), OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    /** The command failed with {@code exitCode}, said the usual way. */
    public static ExitInfo failed(int exitCode, String stderrTail) {
        return failed(exitCode, stderrTail, "The command failed with exit code " + exitCode + ".");
    }

    /**
     * The command could not be started at all (no such working directory, an unwritable log file):
     * the reserved exit code {@link Executor#WRAPPER_FAILED_EXIT_CODE}, with the cause in the error log.
     */
    public static ExitInfo startFailed(String cause) {
        return failed(Executor.WRAPPER_FAILED_EXIT_CODE, cause, "The command could not be started: " + cause + ".");
    }

    /**
     * Killed for using more of {@code resource} ({@link #MEMORY}, {@link #RUNTIME}) than it asked
     * for: the engine retries it with more.
     */
    public static ExitInfo resourceKilled(String resource, String message) {
        return new ExitInfo(ExitKind.RESOURCE_ERROR, OptionalInt.empty(), Optional.of(resource), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    /** Killed on Jobmon's order (terminate, KILL_SELF) or from outside: not retried with more resources. */
    public static ExitInfo killed(String message) {
        return new ExitInfo(ExitKind.KILLED, OptionalInt.empty(), Optional.empty(), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    /** Vanished without a trace the platform can explain. */
    public static ExitInfo lost(String message) {
        return new ExitInfo(ExitKind.LOST, OptionalInt.empty(), Optional.empty(), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    /** The platform knows it ended but not why. */
    public static ExitInfo unknown(String message) {
        return new ExitInfo(ExitKind.UNKNOWN, OptionalInt.empty(), Optional.empty(), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    /** This ending, on {@code hostname}, after {@code wallclockSeconds} (a negative number: unknown). */
    public ExitInfo ranOn(String hostname, double wallclockSeconds) {
        return new ExitInfo(kind, exitCode, resource, stderrTail, Optional.of(hostname),
                wallclockSeconds >= 0 ? OptionalDouble.of(wallclockSeconds) : OptionalDouble.empty(), maxRssBytes, message);
    }

    /** This ending, with the process's exit code. */
    public ExitInfo withExitCode(int code) {
        return new ExitInfo(kind, OptionalInt.of(code), resource, stderrTail, hostname, wallclockSeconds, maxRssBytes, message);
    }

    /** This ending, with the last lines of stderr for the error log. */
    public ExitInfo withStderrTail(String tail) {
        return new ExitInfo(kind, exitCode, resource, tail, hostname, wallclockSeconds, maxRssBytes, message);
    }

    /** This ending, with the peak resident memory of its process tree ({@code OptionalLong.empty()}: not measured). */
    public ExitInfo withMaxRssBytes(OptionalLong bytes) {
        return new ExitInfo(kind, exitCode, resource, stderrTail, hostname, wallclockSeconds, bytes, message);
    }

    /** This ending, with the peak resident memory of its process tree. */
    public ExitInfo withMaxRssBytes(long bytes) {
        return withMaxRssBytes(OptionalLong.of(bytes));
    }

    /** The classes of ending the engine distinguishes. */
    public enum ExitKind {
        /** Exit code 0. */
        DONE,
        /** The command failed with a non-zero exit code. */
        APPLICATION_ERROR,
        /** Killed for exceeding its memory or runtime: retry with more. */
        RESOURCE_ERROR,
        /** Killed on order (terminate, KILL_SELF) or by someone else. */
        KILLED,
        /** Vanished without a trace the platform can explain. */
        LOST,
        /** The platform knows it ended but not why. */
        UNKNOWN
    }
}
