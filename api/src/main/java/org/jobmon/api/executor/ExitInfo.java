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

    /** A normal end with exit code 0. */
    public static ExitInfo done(String hostname, double wallclockSeconds) {
        return new ExitInfo(ExitKind.DONE, OptionalInt.of(0), Optional.empty(), "", Optional.of(hostname),
                OptionalDouble.of(wallclockSeconds), OptionalLong.empty(), "exited 0");
    }

    /** The command failed with {@code exitCode}; {@code stderrTail} goes to the error log. */
    public static ExitInfo failed(int exitCode, String stderrTail, String message) {
        return new ExitInfo(ExitKind.APPLICATION_ERROR, OptionalInt.of(exitCode), Optional.empty(), stderrTail,
                Optional.empty(), OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    /** Killed for using more of {@code resource} ("memory", "runtime") than it asked for. */
    public static ExitInfo resourceKilled(String resource, String message) {
        return new ExitInfo(ExitKind.RESOURCE_ERROR, OptionalInt.empty(), Optional.of(resource), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    public static ExitInfo lost(String message) {
        return new ExitInfo(ExitKind.LOST, OptionalInt.empty(), Optional.empty(), "", Optional.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), message);
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
