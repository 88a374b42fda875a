package org.jobmon.executor.slurm;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Slurm's times and sizes: {@code [D-]HH:MM:SS}, {@code MM:SS}, "infinite"; MaxRSS as {@code 3220K}. */
final class SlurmTimes {
    private SlurmTimes() {
    }

    /**
     * A runtime request as Slurm takes it: whole minutes, rounded up ({@code --time} counts minutes,
     * so 90 seconds asks for 2 minutes).
     */
    static long minutes(long seconds) {
        return Math.max(1, (seconds + 59) / 60);
    }

    /** A partition's time limit in seconds; Long.MAX_VALUE for "infinite", "UNLIMITED" or what cannot be read. */
    static long limitSeconds(String text) {
        OptionalDouble s = seconds(text);
        return s.isPresent() ? (long) s.getAsDouble() : Long.MAX_VALUE;
    }

    /** {@code [D-]HH:MM:SS}, {@code HH:MM:SS}, {@code MM:SS} or {@code MM:SS.mmm} in seconds; empty when not a time. */
    static OptionalDouble seconds(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return OptionalDouble.empty();
        }
        long days = 0;
        int dash = t.indexOf('-');
        try {
            if (dash > 0) {
                days = Long.parseLong(t.substring(0, dash));
                t = t.substring(dash + 1);
            }
            String[] parts = t.split(":");
            if (parts.length > 3) {
                return OptionalDouble.empty();
            }
            double s = 0;
            for (String p : parts) {
                s = s * 60 + Double.parseDouble(p);
            }
            if (dash > 0 && parts.length == 1) {
                s *= 3600; // D-HH
            }
            return OptionalDouble.of(days * 86_400 + s);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** sacct's MaxRSS ("3220K", "1.50M", "2G", "0") in bytes; empty when blank. */
    static OptionalLong bytes(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return OptionalLong.empty();
        }
        char unit = Character.toUpperCase(t.charAt(t.length() - 1));
        long factor = switch (unit) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            case 'T' -> 1024L * 1024 * 1024 * 1024;
            default -> 1;
        };
        String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1);
        try {
            return OptionalLong.of((long) (Double.parseDouble(number) * factor));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%d MiB", bytes.getAsLong() / (1024 * 1024)) : "unknown";
    }
}
