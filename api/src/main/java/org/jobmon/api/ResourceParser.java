package org.jobmon.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * Parses the seed's resource formats into canonical units: memory in MiB, runtime in seconds.
 * Anything that does not parse is a user error naming the value and the accepted forms.
 */
public final class ResourceParser {
    private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CLOCK = Pattern.compile("(\\d+):(\\d{1,2}):(\\d{1,2})");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?\\s*(?:(\\d+)h)?\\s*(?:(\\d+)m)?\\s*(?:(\\d+)s?)?", Pattern.CASE_INSENSITIVE);

    private ResourceParser() {
    }

    /**
     * Memory: "1G", "128M", "1.5G", "500M", "512K", "2T", or a bare number meaning GiB as in the
     * seed's examples. Never rounds a non-zero request down to zero.
     */
    public static long memoryMib(String field, Object value) {
        if (value instanceof Number n) {
            return toMib(field, value, BigDecimal.valueOf(n.doubleValue()), "G");
        }
        String text = value == null ? "" : value.toString().trim();
        Matcher m = MEMORY.matcher(text);
        if (!m.matches()) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, field + " '" + text
                    + "' is not a memory size: use a number with a unit, such as 512M, 1G or 1.5G (a bare number means GiB)");
        }
        String unit = m.group(2).isEmpty() ? "G" : m.group(2).toUpperCase(Locale.ROOT);
        return toMib(field, value, new BigDecimal(m.group(1)), unit);
    }

    private static long toMib(String field, Object original, BigDecimal amount, String unit) {
        BigDecimal mib = switch (unit) {
            case "K" -> amount.divide(BigDecimal.valueOf(1024), 6, RoundingMode.UP);
            case "M" -> amount;
            case "G" -> amount.multiply(BigDecimal.valueOf(1024));
            case "T" -> amount.multiply(BigDecimal.valueOf(1024L * 1024));
            default -> throw new IllegalStateException(unit);
        };
        long result = mib.setScale(0, RoundingMode.CEILING).longValueExact();
        if (result <= 0) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES,
                    field + " '" + original + "' must be more than zero, such as 512M or 1G");
        }
        return result;
    }

    /** Runtime: seconds as a number, "HH:MM:SS", or "1h", "30m", "25s", "1d2h". */
    public static long runtimeSeconds(String field, Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d <= 0 || d != Math.rint(d)) {
                throw new JobmonException(ErrorCode.INVALID_RESOURCES,
                        field + " '" + value + "' must be a whole number of seconds greater than zero");
            }
            return n.longValue();
        }
        String text = value == null ? "" : value.toString().trim();
        Matcher clock = CLOCK.matcher(text);
        long seconds = -1;
        if (clock.matches()) {
            seconds = Long.parseLong(clock.group(1)) * 3600 + Long.parseLong(clock.group(2)) * 60 + Long.parseLong(clock.group(3));
        } else if (!text.isEmpty()) {
            Matcher d = DURATION.matcher(text);
            if (d.matches()) {
                seconds = group(d, 1) * 86400 + group(d, 2) * 3600 + group(d, 3) * 60 + group(d, 4);
            }
        }
        if (seconds <= 0) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, field + " '" + text
                    + "' is not a runtime: use seconds (3600), HH:MM:SS (01:00:00) or a duration such as 1h, 30m, 25s");
        }
        return seconds;
    }

    private static long group(Matcher m, int i) {
        return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
    }

    /** Cores: a whole number of at least one. */
    public static int cores(String field, Object value) {
        long n;
        try {
            n = value instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
                    ? num.longValue() : Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 100_000) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES,
                    field + " '" + value + "' must be a whole number of cores, at least 1");
        }
        return (int) n;
    }

    /** Formats MiB the way people write it: 1024 -> "1G", 1536 -> "1536M". */
    public static String formatMemory(long mib) {
        return mib % 1024 == 0 ? (mib / 1024) + "G" : mib + "M";
    }
}
