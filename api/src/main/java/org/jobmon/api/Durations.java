package org.jobmon.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jobmon.api.JobmonException.ErrorCode;

/** Durations as people write them in settings: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or bare seconds. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * Parses {@code text}; {@code what} names the setting in the error ("jobmon.instance_heartbeat",
     * "the sge setting poll_interval").
     *
     * @throws JobmonException INVALID_ARGUMENT for anything else, or zero
     */
    public static Duration parse(String what, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches() || Double.parseDouble(m.group(1)) <= 0) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, what + " '" + text + "' is not a duration: use 500ms, 30s, 2m or 1h");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 1000;
        };
        return Duration.ofMillis(Math.max(1, Math.round(millis)));
    }
}
